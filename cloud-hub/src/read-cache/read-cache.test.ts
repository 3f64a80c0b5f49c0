import { describe, expect, it } from 'vitest';
import type { BatchRecord, BatchStore } from '../store/batch-store.js';
import { CachedBatchReads } from './cached-batch-reads.js';
import { LruReadCache } from './lru-read-cache.js';
import { jitteredTtl } from './read-cache.js';
import { readCacheSuite } from './read-cache.suite.js';
import { Singleflight } from './singleflight.js';

readCacheSuite('LruReadCache', async () => ({ cache: new LruReadCache() }));

describe('LruReadCache', () => {
  it('evicts the least recently used entry', async () => {
    const c = new LruReadCache(2);
    await c.set('a', '1', 1e6);
    await c.set('b', '2', 1e6);
    await c.get('a');
    await c.set('c', '3', 1e6);
    expect(await c.get('b')).toBeUndefined();
    expect(await c.get('a')).toBe('1');
    expect(c.size).toBe(2);
  });
});

describe('jitteredTtl', () => {
  it('spreads ±20 % around the base', () => {
    expect(jitteredTtl(1000, 0)).toBe(800);
    expect(jitteredTtl(1000, 0.5)).toBe(1000);
    expect(jitteredTtl(1000, 0.999999)).toBe(1200);
  });
});

describe('Singleflight', () => {
  it('shares one call among concurrent callers and forgets it afterwards', async () => {
    const sf = new Singleflight<number>();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const all = Array.from({ length: 50 }, () => sf.do('k', async () => { calls++; await gate; return 7; }));
    release();
    expect(await Promise.all(all)).toEqual(Array(50).fill(7));
    expect(calls).toBe(1);
    expect(sf.size).toBe(0);
    await sf.do('k', async () => { calls++; return 8; });
    expect(calls).toBe(2);
  });
});

describe('CachedBatchReads', () => {
  const batch = (state: BatchRecord['state']): BatchRecord => ({
    batch_id: 'b1', vin: 'V', platform: 'T2', state, manifest: null, chunks_expected: 1, chunks_stored: 1, reason: null, retries: 0, created_at: 'x', updated_at: 'x',
  });
  function fakeStore(get: () => Promise<BatchRecord | null>): { store: BatchStore; calls: () => number } {
    let n = 0;
    const store = { get: async () => { n++; return get(); }, getReport: async () => { n++; return null; } } as unknown as BatchStore;
    return { store, calls: () => n };
  }

  it('a cold burst costs one store read; invalidate forces a fresh one', async () => {
    let state: BatchRecord['state'] = 'gathering';
    const { store, calls } = fakeStore(async () => { await new Promise((r) => setTimeout(r, 10)); return batch(state); });
    const reads = new CachedBatchReads(store, new LruReadCache());
    const got = await Promise.all(Array.from({ length: 100 }, () => reads.get('b1')));
    expect(calls()).toBe(1);
    expect(got.every((b) => b?.state === 'gathering')).toBe(true);
    state = 'diagnosed';
    await reads.invalidate('b1');
    expect((await reads.get('b1'))?.state).toBe('diagnosed');
    expect(calls()).toBe(2);
    await reads.get('b1');
    expect(calls()).toBe(2);
  });

  it('a load racing an invalidation does not store the stale value', async () => {
    let state: BatchRecord['state'] = 'gathering';
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { store, calls } = fakeStore(async () => { const s = state; await gate; return batch(s); });
    const reads = new CachedBatchReads(store, new LruReadCache());
    const first = reads.get('b1');
    await new Promise((r) => setTimeout(r, 10)); // the load has read the old state
    state = 'diagnosed';
    await reads.invalidate('b1');
    release();
    expect((await first)?.state).toBe('gathering');
    expect((await reads.get('b1'))?.state).toBe('diagnosed');
    expect(calls()).toBe(2);
  });

  it('caches misses briefly', async () => {
    const { store, calls } = fakeStore(async () => null);
    const reads = new CachedBatchReads(store, new LruReadCache());
    expect(await reads.getReport('nope')).toBeNull();
    expect(await reads.getReport('nope')).toBeNull();
    expect(calls()).toBe(1);
  });
});
