import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barrierSuite, eventsOf } from '../../cloud-hub/src/barrier/barrier.suite.js';
import { RedisBarrier } from '../../cloud-hub/src/barrier/redis-barrier.js';
import { startRedis, type LocalServer } from '../support/local-server.js';

// RedisBarrier against a real redis-server on a free loopback port.
let server: LocalServer & { url: string };
beforeAll(async () => {
  const s = await startRedis();
  server = Object.assign(s, { url: `redis://127.0.0.1:${s.port}` });
});
afterAll(async () => server?.stop());

barrierSuite('RedisBarrier', async () => ({
  open: () => new RedisBarrier({ redis: server.url }),
  stored: async () => undefined,
  manifestStored: async () => undefined,
  close: async () => undefined,
}));

describe('RedisBarrier keys', () => {
  it('carry a TTL, refreshed by every event, under one hash tag', async () => {
    const redis = new Redis(server.url);
    const barrier = new RedisBarrier({ redis, ttlSeconds: 120 });
    const b = randomUUID();
    const files = [{ fileId: 'a', chunkCount: 2 }];
    await barrier.record(eventsOf(b, files)[0]!);
    await barrier.expect(b, files);
    for (const k of barrier.keys(b)) {
      expect(k).toContain(`{${b}}`);
      const ttl = await redis.ttl(k);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
    await barrier.close();
    expect(redis.status).toBe('ready'); // a shared connection is not closed by the barrier
    await redis.quit();
  });
});
