import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullQueue } from '../../cloud-hub/src/queue/bull-queue.js';
import { jobQueueSuite } from '../../cloud-hub/src/queue/job-queue.suite.js';
import { startRedis, type LocalServer } from '../support/local-server.js';
import { testLogger } from '../support/test-hub.js';

// BullQueue against a real redis-server; every queue gets its own key prefix.
let redis: LocalServer;
const url = () => `redis://127.0.0.1:${redis.port}`;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

jobQueueSuite('BullQueue', async (o) => new BullQueue({ redisUrl: url(), log: testLogger(), prefix: `t${randomUUID().slice(0, 8)}`, attempts: o.attempts, backoffMs: o.backoffMs }));

describe('BullQueue dead-letter queue', () => {
  it('keeps jobs that exhausted their attempts or were unrecoverable', async () => {
    const q = new BullQueue({ redisUrl: url(), log: testLogger(), prefix: `t${randomUUID().slice(0, 8)}`, attempts: 2, backoffMs: 20 });
    const failed: string[] = [];
    q.process('gather', async (d) => {
      throw new Error(`broken ${d.batchId}`);
    }, { onFailed: async (d) => void failed.push(d.batchId) });
    const [a, b] = [randomUUID(), randomUUID()];
    await q.add('gather', { batchId: a });
    await q.add('gather', { batchId: b });
    const end = Date.now() + 20_000;
    while (failed.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const dead = await q.deadLetters();
    await q.close();
    expect(dead.map((d) => d.batchId).sort()).toEqual([a, b].sort());
    expect(dead.every((d) => d.stage === 'gather' && d.attempts === 2 && d.reason.startsWith('broken'))).toBe(true);
  });
});
