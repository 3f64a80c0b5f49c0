import { Redis } from 'ioredis';
import type { Barrier, BarrierAnswer, ChunkEvent, ExpectedFiles } from './barrier.js';
import { BARRIER_LUA } from './redis-barrier.lua.js';

/** Options of RedisBarrier. */
export interface RedisBarrierOptions {
  /** A connection to share, or a `redis://` URL to open one of our own. */
  redis: Redis | string;
  /** How long a batch's barrier keys live after its last event, seconds. Default 7 days. */
  ttlSeconds?: number;
  /** Key prefix. Default `argus:barrier:`. */
  prefix?: string;
}

const ANSWERS = new Set<string>(['fired', 'done', 'waiting', 'conflict']);

type WithBarrierCommand = Redis & {
  argusBarrier(k1: string, k2: string, k3: string, ...argv: (string | number)[]): Promise<string>;
};

/**
 * Barrier on Redis, for scale mode: every event is one call of one Lua script
 * (see `redis-barrier.lua.ts`), atomic across all hubs sharing the Redis. Keys
 * carry a TTL (refreshed on every event) and a `{batchId}` hash tag, so all
 * keys of a batch land on one Redis Cluster slot.
 *
 * Redis keeps only the decision; the batch's state in Postgres stays the
 * source of truth, so the caller moves it `uploading → uploaded` after `fired`
 * (a guarded transition, which also makes a `done` after a crash recoverable).
 */
export class RedisBarrier implements Barrier {
  private readonly redis: WithBarrierCommand;
  private readonly owned: boolean;
  private readonly ttl: number;
  private readonly prefix: string;

  constructor(opts: RedisBarrierOptions) {
    this.owned = typeof opts.redis === 'string';
    const r = typeof opts.redis === 'string' ? new Redis(opts.redis, { maxRetriesPerRequest: 3 }) : opts.redis;
    if (!('argusBarrier' in r)) r.defineCommand('argusBarrier', { numberOfKeys: 3, lua: BARRIER_LUA });
    this.redis = r as WithBarrierCommand;
    this.ttl = opts.ttlSeconds ?? 7 * 24 * 3600;
    this.prefix = opts.prefix ?? 'argus:barrier:';
  }

  record(e: ChunkEvent): Promise<BarrierAnswer> {
    return this.run(e.batchId, ['chunk', this.ttl, e.fileId, e.chunkIndex, e.sha256]);
  }

  expect(batchId: string, files: ExpectedFiles): Promise<BarrierAnswer> {
    return this.run(batchId, ['manifest', this.ttl, ...files.flatMap((f) => [f.fileId, f.chunkCount])]);
  }

  /** The keys of one batch (exported for tests and operators). */
  keys(batchId: string): [string, string, string] {
    const base = `${this.prefix}{${batchId}}:`;
    return [`${base}chunks`, `${base}files`, `${base}meta`];
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit();
  }

  private async run(batchId: string, argv: (string | number)[]): Promise<BarrierAnswer> {
    const out = await this.redis.argusBarrier(...this.keys(batchId), ...argv);
    if (!ANSWERS.has(out)) throw new Error(`redis barrier for batch ${batchId}: unexpected answer ${String(out)}`);
    return out as BarrierAnswer;
  }
}
