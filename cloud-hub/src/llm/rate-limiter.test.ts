import { describe, expect, it } from 'vitest';
import { llmLimiterSuite } from './llm-limiter.suite.js';
import { RateLimiter } from './rate-limiter.js';

llmLimiterSuite('RateLimiter', () => (limits) => new RateLimiter(limits));

describe('RateLimiter', () => {
  it('holds requests beyond rpm until the minute has passed', async () => {
    let t = 0;
    const slept: number[] = [];
    const l = new RateLimiter({ concurrency: 5, rpm: 2, tpm: 1e9 }, () => t, async (ms) => { slept.push(ms); t += ms; });
    (await l.acquire(1)).release(1);
    t = 1000;
    (await l.acquire(1)).release(1);
    expect(l.waitFor(1)).toBe(59_000);
    (await l.acquire(1)).release(1);
    expect(slept).toEqual([59_000]);
  });
  it('counts the tokens actually used against tpm', async () => {
    let t = 0;
    const l = new RateLimiter({ concurrency: 5, rpm: 100, tpm: 1000 }, () => t, async (ms) => { t += ms; });
    (await l.acquire(900)).release(200);
    expect(l.waitFor(700)).toBe(0);
    expect(l.waitFor(900)).toBe(60_000);
  });
  it('never runs more than `concurrency` at once', async () => {
    const l = new RateLimiter({ concurrency: 1, rpm: 100, tpm: 1e9 });
    const a = await l.acquire(1);
    let got = false;
    const b = l.acquire(1).then((s) => { got = true; return s; });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toBe(false);
    a.release(1);
    (await b).release(1);
    expect(got).toBe(true);
  });
});
