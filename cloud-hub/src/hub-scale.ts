import type { Logger } from '@argus/shared';
import type { Barrier } from './barrier/barrier.js';
import { PgBarrier } from './barrier/pg-barrier.js';
import { RedisBarrier } from './barrier/redis-barrier.js';
import type { HubConfig } from './config.js';
import type { Database } from './db/database.js';
import { BullQueue } from './queue/bull-queue.js';
import { InProcessQueue } from './queue/in-process-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import type { ObjectStore } from './store/object-store.js';

/** The parts that differ between the embedded default and scale mode. */
export interface ScaleParts {
  barrier: Barrier;
  queue: JobQueue;
  /** The object store the pipeline reads (slowed down only by the test-only gather delay). */
  pipelineObjects(objects: ObjectStore): ObjectStore;
  close(): Promise<void>;
}

/**
 * Embedded (no `REDIS_URL`): PgBarrier + InProcessQueue. Scale mode
 * (`REDIS_URL` set): RedisBarrier + BullQueue, so any hub sharing the Redis,
 * the database and the object store can finish any batch.
 */
export function openScaleParts(cfg: HubConfig, db: Database, log: Logger): ScaleParts {
  const barrier: Barrier = cfg.redisUrl ? new RedisBarrier({ redis: cfg.redisUrl }) : new PgBarrier(db.pool);
  const queue: JobQueue = cfg.redisUrl
    ? new BullQueue({ redisUrl: cfg.redisUrl, log, ...(cfg.queueLockMs ? { lockMs: cfg.queueLockMs } : {}) })
    : new InProcessQueue(log);
  log.info('pipeline parts', { mode: cfg.redisUrl ? 'scale' : 'embedded', barrier: barrier.constructor.name, queue: queue.constructor.name });
  return {
    barrier,
    queue,
    pipelineObjects: (objects) => (cfg.testGatherDelayMs > 0 ? slowReads(objects, cfg.testGatherDelayMs) : objects),
    close: () => barrier.close(),
  };
}

/** TEST ONLY (ARGUS_TEST_GATHER_DELAY_MS): waits before every read so a test can kill a hub mid-gather. */
function slowReads(objects: ObjectStore, ms: number): ObjectStore {
  return new Proxy(objects, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'get' || typeof v !== 'function') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, ms));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
