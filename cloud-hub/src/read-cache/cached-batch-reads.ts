/**
 * The read path of batches and reports through a ReadCache with singleflight:
 * a burst of identical cold reads costs one database query. Entries of a batch
 * are dropped by `invalidate` when the batch changes state; finished batches
 * (diagnosed, failed) are kept longer than in-flight ones, whose chunk counts
 * move without a state change. TTLs carry jitter.
 */
import type { DiagnosisReport } from '@argus/shared';
import type { BatchRecord, BatchStore } from '../store/batch-store.js';
import { jitteredTtl, type ReadCache } from './read-cache.js';
import { Singleflight } from './singleflight.js';

/** TTLs (ms): finished batches and reports, in-flight batches, known misses. */
export const READ_TTL = { settled: 5 * 60_000, moving: 1_000, miss: 500 } as const;

const MISS = '\u0000null';

/** Cached `get` and `getReport` over a BatchStore. */
export class CachedBatchReads {
  private readonly flight = new Singleflight<string>();
  /** Loads in flight by key; `invalidate` removes the key, so a load that started before it does not store a stale value. */
  private readonly loading = new Map<string, object>();

  constructor(private readonly store: BatchStore, private readonly cache: ReadCache, private readonly rand: () => number = Math.random) {}

  /** The batch (cached). */
  async get(batchId: string): Promise<BatchRecord | null> {
    return this.read(`batch:${batchId}`, async () => {
      const b = await this.store.get(batchId);
      const ttl = !b ? READ_TTL.miss : b.state === 'diagnosed' || b.state === 'failed' ? READ_TTL.settled : READ_TTL.moving;
      return { value: b, ttl };
    });
  }

  /** The batch's report (cached). */
  async getReport(batchId: string): Promise<DiagnosisReport | null> {
    return this.read(`report:${batchId}`, async () => {
      const r = await this.store.getReport(batchId);
      return { value: r, ttl: r ? READ_TTL.settled : READ_TTL.miss };
    });
  }

  /** Drops the cached entries of a batch (call when it changes state). */
  async invalidate(batchId: string): Promise<void> {
    const keys = [`batch:${batchId}`, `report:${batchId}`];
    for (const k of keys) this.loading.delete(k);
    await this.cache.del(keys);
  }

  private async read<T>(key: string, load: () => Promise<{ value: T | null; ttl: number }>): Promise<T | null> {
    const hit = await this.cache.get(key);
    if (hit !== undefined) return hit === MISS ? null : (JSON.parse(hit) as T);
    const text = await this.flight.do(key, async () => {
      // Double check: a flight that finished between our miss and now has filled the cache.
      const again = await this.cache.get(key);
      if (again !== undefined) return again;
      const ticket = {};
      this.loading.set(key, ticket);
      try {
        const { value, ttl } = await load();
        const s = value === null ? MISS : JSON.stringify(value);
        if (this.loading.get(key) === ticket) await this.cache.set(key, s, jitteredTtl(ttl, this.rand()));
        return s;
      } finally {
        if (this.loading.get(key) === ticket) this.loading.delete(key);
      }
    });
    return text === MISS ? null : (JSON.parse(text) as T);
  }
}
