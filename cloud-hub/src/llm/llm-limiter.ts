/**
 * The contract of an LLM backpressure limiter: at most `concurrency` calls at
 * once, `rpm` requests and `tpm` tokens per rolling window (a minute). Two
 * implementations: `RateLimiter` (in-process, one hub) and `RedisRateLimiter`
 * (shared by every hub on one Redis, scale mode). One test suite covers both
 * (`testing/limiter-contract.ts`).
 */

/** Limits of a {@link LlmLimiter}. */
export interface RateLimits {
  concurrency: number;
  /** Requests per window. */
  rpm: number;
  /** Tokens per window (estimates at acquire, replaced by the tokens used at release). */
  tpm: number;
  /** The rolling window, ms (default 60 000). */
  windowMs?: number;
}

/** Default limits of the LLM path. */
export const DEFAULT_LIMITS: RateLimits = { concurrency: 2, rpm: 60, tpm: 60_000 };

/** A granted slot: report the tokens used when the call ends (idempotent). */
export interface Slot {
  release(tokensUsed: number): void;
}

/** Concurrency + requests/tokens per window limiter. */
export interface LlmLimiter {
  /** Waits for a concurrency slot and for the window limits; `tokens` is the estimate of the call. */
  acquire(tokens: number): Promise<Slot>;
  /** Releases resources (connections, timers); slots still held are freed by their lease. */
  close(): Promise<void>;
}
