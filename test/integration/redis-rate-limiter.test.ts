import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '@argus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmClient } from '../../cloud-hub/src/llm/llm-client.js';
import { llmLimiterSuite } from '../../cloud-hub/src/llm/llm-limiter.suite.js';
import { openLlm } from '../../cloud-hub/src/llm/open-llm.js';
import { RateLimiter } from '../../cloud-hub/src/llm/rate-limiter.js';
import { startLlmStub } from '../../cloud-hub/src/llm/testing/llm-stub.js';
import type { Retriever } from '../../cloud-hub/src/retrieval/retriever.js';
import { RedisRateLimiter } from '../../cloud-hub/src/llm/redis-rate-limiter.js';
import type { RateLimits } from '../../cloud-hub/src/llm/llm-limiter.js';
import { startRedis, type LocalServer } from '../support/local-server.js';

// RedisRateLimiter (the LLM limiter of scale mode) against a real redis-server.
let server: LocalServer;
let url = '';
beforeAll(async () => {
  server = await startRedis();
  url = `redis://127.0.0.1:${server.port}`;
});
afterAll(async () => server?.stop());

/** Limiters of one group share a key prefix: they act as hubs sharing the limits. */
const group = (o: { leaseMs?: number } = {}) => {
  const prefix = `t:${randomUUID()}:`;
  return (limits: RateLimits) => new RedisRateLimiter({ redis: url, limits, prefix, ...o });
};

llmLimiterSuite('RedisRateLimiter', () => group());

describe('RedisRateLimiter across hubs', () => {
  it('shares concurrency and requests per window between two hubs', async () => {
    const open = group();
    const limits = { concurrency: 1, rpm: 3, tpm: 1e9, windowMs: 1_500 };
    const [hubA, hubB] = [open(limits), open(limits)];
    const a = await hubA.acquire(1);
    let got = false;
    const b = hubB.acquire(1).then((s) => { got = true; return s; });
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toBe(false); // hub B waits for hub A's slot
    a.release(1);
    (await b).release(1);
    const t0 = Date.now();
    (await hubA.acquire(1)).release(1); // third request of the window
    (await hubB.acquire(1)).release(1); // fourth: waits for the window
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    await Promise.all([hubA.close(), hubB.close()]);
  });

  it("frees a dead hub's slot when its lease ends, and renews the lease of a live one", async () => {
    const open = group({ leaseMs: 600 });
    const limits = { concurrency: 1, rpm: 100, tpm: 1e9, windowMs: 1_500 };
    const live = open(limits);
    const held = await live.acquire(1);
    const other = open(limits);
    let got = false;
    const waiting = other.acquire(1).then((s) => { got = true; return s; });
    await new Promise((r) => setTimeout(r, 1_500)); // 2.5 leases: renewed, still held
    expect(got).toBe(false);
    held.release(1);
    (await waiting).release(1);

    const dying = open(limits);
    await dying.acquire(1); // never released
    await dying.close(); // the hub dies: renewals stop
    const t0 = Date.now();
    const survivor = open(limits);
    (await survivor.acquire(1)).release(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    await Promise.all([live.close(), other.close(), survivor.close()]);
  });

  it('keeps its keys under one hash tag with a TTL', async () => {
    const prefix = `t:${randomUUID()}:`;
    const l = new RedisRateLimiter({ redis: url, limits: { concurrency: 1, rpm: 10, tpm: 100, windowMs: 1_000 }, prefix, leaseMs: 500 });
    (await l.acquire(5)).release(5);
    const r = new Redis(url);
    const keys = await r.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const k of keys) {
      expect(k).toContain('{limiter}');
      expect(await r.pttl(k)).toBeGreaterThan(0);
    }
    await r.quit();
    await l.close();
  });
});

describe('the LLM path in scale mode', () => {
  it('the hub config picks the Redis limiter when REDIS_URL is set, the in-process one otherwise', async () => {
    const log = createLogger('silent', {}, () => undefined);
    const retriever = {} as Retriever; // not called: nothing is narrated here
    const llm = { llmBaseUrl: 'http://127.0.0.1:9/v1', llmModel: 'm' };
    const scale = openLlm({ ...llm, redisUrl: url }, retriever, log);
    const single = openLlm(llm, retriever, log);
    const off = openLlm({}, retriever, log);
    expect(scale.limiter).toBeInstanceOf(RedisRateLimiter);
    expect(single.limiter).toBeInstanceOf(RateLimiter);
    expect(off.limiter).toBeUndefined();
    expect(typeof scale.narration.narrate).toBe('function');
    await Promise.all([scale.close(), single.close(), off.close()]);
  });

  it('two hubs calling the LLM stay within one shared requests-per-window limit', async () => {
    const stub = await startLlmStub(Array.from({ length: 4 }, () => ({ kind: 'answer' as const, content: 'ok', tokens: 10 })));
    const open = group();
    const limits = { concurrency: 2, rpm: 2, tpm: 1e6, windowMs: 1_500 };
    const hubs = [open(limits), open(limits)];
    const clients = hubs.map((limiter) => new LlmClient({ baseUrl: stub.baseUrl, model: 'm', limiter, maxRetries: 0 }));
    const t0 = Date.now();
    const at: number[] = [];
    await Promise.all(clients.flatMap((c) => [0, 1].map(async () => {
      await c.chat([{ role: 'user', content: 'hi' }], [], 16);
      at.push(Date.now() - t0);
    })));
    at.sort((a, b) => a - b);
    expect(stub.requests).toHaveLength(4);
    expect(at[2]!).toBeGreaterThanOrEqual(1_400); // the 3rd and 4th calls waited for the shared window
    await stub.close();
    await Promise.all(hubs.map((h) => h.close()));
  });
});
