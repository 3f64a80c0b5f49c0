import { describe, expect, it } from 'vitest';
import type { LlmLimiter, RateLimits } from './llm-limiter.js';

/**
 * Opens limiters of one group: limiters opened by the same function share
 * their limits where the implementation can share them (one Redis namespace);
 * each test gets a fresh group.
 */
export type LimiterGroup = (limits: RateLimits) => LlmLimiter;

const WINDOW = 1_500;
const since = (t0: number) => Date.now() - t0;

/**
 * The one test suite of the {@link LlmLimiter} contract, run against every
 * implementation on the real clock with a short window (timings are checked
 * from below only: the machine may be slow).
 */
export function llmLimiterSuite(name: string, newGroup: () => LimiterGroup): void {
  describe(`${name} (LlmLimiter contract)`, () => {
    it('holds requests beyond rpm until the window has passed', async () => {
      const l = newGroup()({ concurrency: 5, rpm: 2, tpm: 1e9, windowMs: WINDOW });
      const t0 = Date.now();
      (await l.acquire(1)).release(1);
      (await l.acquire(1)).release(1);
      (await l.acquire(1)).release(1);
      expect(since(t0)).toBeGreaterThanOrEqual(WINDOW - 50);
      await l.close();
    });

    it('counts the tokens actually used against tpm', async () => {
      const l = newGroup()({ concurrency: 5, rpm: 100, tpm: 1000, windowMs: WINDOW });
      const t0 = Date.now();
      (await l.acquire(900)).release(200);
      (await l.acquire(700)).release(700); // 200 + 700 fits: the 900 estimate was replaced
      const fast = since(t0);
      (await l.acquire(900)).release(900); // 900 + 900 does not: waits for the window
      expect(since(t0)).toBeGreaterThanOrEqual(WINDOW - 50);
      expect(fast).toBeLessThan(WINDOW - 50);
      await l.close();
    });

    it('never runs more than `concurrency` at once', async () => {
      const l = newGroup()({ concurrency: 2, rpm: 100, tpm: 1e9, windowMs: WINDOW });
      let running = 0;
      let peak = 0;
      await Promise.all(Array.from({ length: 6 }, async () => {
        const s = await l.acquire(1);
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 40));
        running--;
        s.release(1);
      }));
      expect(peak).toBe(2);
      await l.close();
    });

    it('lets a waiter in when a slot is released, and a double release is harmless', async () => {
      const l = newGroup()({ concurrency: 1, rpm: 100, tpm: 1e9, windowMs: WINDOW });
      const a = await l.acquire(1);
      let got = false;
      const b = l.acquire(1).then((s) => { got = true; return s; });
      await new Promise((r) => setTimeout(r, 150));
      expect(got).toBe(false);
      a.release(1);
      a.release(1);
      const sb = await b;
      expect(got).toBe(true);
      let third = false;
      const c = l.acquire(1).then((s) => { third = true; return s; });
      await new Promise((r) => setTimeout(r, 150));
      expect(third).toBe(false); // the double release did not free a second slot
      sb.release(1);
      (await c).release(1);
      await l.close();
    });
  });
}
