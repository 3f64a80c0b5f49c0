/**
 * Token bucket for the upload bandwidth cap (bytes per second). Pure: the
 * caller passes the current time in ms and sleeps for the returned wait.
 * Capacity is one second of rate, or the largest single request.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /** `rate` bytes/s; 0 = unlimited. */
  constructor(private readonly rate: number, nowMs: number, private readonly burst = rate) {
    this.tokens = burst;
    this.last = nowMs;
  }

  /**
   * Takes `bytes` from the bucket (it may go negative: a chunk larger than the
   * burst is sent whole and paid for afterwards). Returns how long the caller
   * must wait before sending, ms.
   */
  take(bytes: number, nowMs: number): number {
    if (this.rate <= 0) return 0;
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) / 1000) * this.rate);
    this.last = nowMs;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }
}
