/**
 * Limits LLM calls: at most `concurrency` at once, `rpm` requests and `tpm`
 * tokens per rolling minute. Pure bookkeeping with the clock and the sleep
 * passed in; `acquire` waits until a call fits.
 */

import type { LlmLimiter, RateLimits, Slot } from './llm-limiter.js';

export type { RateLimits, Slot } from './llm-limiter.js';

/** Concurrency + requests/tokens per minute limiter of one process. */
export class RateLimiter implements LlmLimiter {
  private active = 0;
  private readonly requests: number[] = [];
  private readonly tokens: { t: number; n: number }[] = [];
  private readonly waiters: (() => void)[] = [];

  private readonly windowMs: number;

  constructor(private readonly limits: RateLimits, private readonly now: () => number = Date.now, private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {
    this.windowMs = limits.windowMs ?? 60_000;
  }

  /** How long (ms) until a call estimated at `tokens` fits, 0 = now. Pure read. */
  waitFor(tokens: number): number {
    const t = this.now();
    this.prune(t);
    let wait = 0;
    if (this.requests.length >= this.limits.rpm) wait = Math.max(wait, this.requests[0]! + this.windowMs - t);
    let used = this.tokens.reduce((s, x) => s + x.n, 0);
    for (const x of this.tokens) {
      if (used + tokens <= this.limits.tpm) break;
      used -= x.n;
      wait = Math.max(wait, x.t + this.windowMs - t);
    }
    return wait;
  }

  /** Waits for a concurrency slot and for the per-minute limits; `tokens` is the estimate of the call. */
  async acquire(tokens: number): Promise<Slot> {
    while (this.active >= this.limits.concurrency) await new Promise<void>((r) => this.waiters.push(r));
    this.active++;
    try {
      for (let w = this.waitFor(tokens); w > 0; w = this.waitFor(tokens)) await this.sleep(w);
    } catch (err) {
      this.done();
      throw err;
    }
    const t = this.now();
    this.requests.push(t);
    const entry = { t, n: tokens };
    this.tokens.push(entry);
    let released = false;
    return {
      release: (used: number) => {
        if (released) return;
        released = true;
        entry.n = used;
        this.done();
      },
    };
  }

  /** Nothing to release in-process. */
  async close(): Promise<void> {}

  private done(): void {
    this.active--;
    this.waiters.shift()?.();
  }

  private prune(t: number): void {
    while (this.requests.length && this.requests[0]! <= t - this.windowMs) this.requests.shift();
    while (this.tokens.length && this.tokens[0]!.t <= t - this.windowMs) this.tokens.shift();
  }
}
