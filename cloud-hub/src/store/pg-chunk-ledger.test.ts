import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type BatchManifest, type ChunkEnvelope } from '@argus/shared';
import { openDatabase, type Database } from '../db/database.js';
import { PgBarrier } from '../barrier/pg-barrier.js';
import { PgBatchStore } from './pg-batch-store.js';

const VIN = 'LJ8E3C1M5PB000123';

function env(batchId: string, fileId: string, i: number, salt = ''): ChunkEnvelope {
  const sha = createHash('sha256').update(`${batchId}/${fileId}/${i}${salt}`).digest('hex');
  return { v: 1, batch_id: batchId, file_id: fileId, topic: `/t/${fileId}`, chunk_index: i, chunk_count: 8, sha256: sha, content_encoding: 'gzip', byte_length: 1, raw_length: 1, rows: 1 };
}

// Group commit of the chunk ledger (PgChunkLedger behind PgBatchStore.recordChunk), on real PGlite.
describe('PgBatchStore.recordChunk group commit', () => {
  let db: Database;
  let dir: string;
  let store: PgBatchStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-ledger-'));
    db = await openDatabase({ dataDir: dir, log: createLogger('silent', {}, () => undefined) });
    store = new PgBatchStore(db.pool);
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers each caller of one group: stored once, duplicates, and a conflict with the stored sha256', async () => {
    const b1 = randomUUID();
    const b2 = randomUUID();
    const a = env(b1, 'f', 0);
    const other = env(b1, 'f', 0, 'x'); // same chunk id, another sha256
    const c = env(b2, 'g', 3);
    // All issued in the same tick: the first goes alone, the rest wait and form one group.
    const results = await Promise.all([
      store.recordChunk(VIN, env(b2, 'g', 9), 'k/warm'),
      store.recordChunk(VIN, a, 'k/a'),
      store.recordChunk(VIN, a, 'k/a'),
      store.recordChunk(VIN, other, 'k/other'),
      store.recordChunk(VIN, c, 'k/c'),
      store.recordChunk(VIN, c, 'k/c'),
    ]);
    expect(results).toEqual([
      { outcome: 'stored' },
      { outcome: 'stored' },
      { outcome: 'duplicate' },
      { outcome: 'conflict', existingSha256: a.sha256 },
      { outcome: 'stored' },
      { outcome: 'duplicate' },
    ]);
    expect((await store.getChunk(b1, 'f', 0))?.sha256).toBe(a.sha256);
    expect(await store.get(b1)).toMatchObject({ vin: VIN, state: 'pending', chunks_stored: 1 });
    expect(await store.get(b2)).toMatchObject({ vin: VIN, state: 'pending', chunks_stored: 2 });
  });

  it('treats a batch id in upper case as the same batch', async () => {
    const b = randomUUID();
    const lower = env(b, 'f', 0);
    const upper = { ...lower, batch_id: b.toUpperCase() };
    const results = await Promise.all([store.recordChunk(VIN, env(randomUUID(), 'w', 0), 'k/warm'), store.recordChunk(VIN, upper, 'k/u'), store.recordChunk(VIN, lower, 'k/l')]);
    expect(results.slice(1)).toEqual([{ outcome: 'stored' }, { outcome: 'duplicate' }]);
    expect(await store.recordChunk(VIN, upper, 'k/u')).toEqual({ outcome: 'duplicate' });
  });

  it('answers a later group from the stored ledger, and keeps chunks_stored exact under concurrency', async () => {
    const b = randomUUID();
    const events = Array.from({ length: 40 }, (_, i) => env(b, i % 2 ? 'x' : 'y', i));
    const deliveries = [...events, ...events, ...events].sort(() => Math.random() - 0.5);
    const results = await Promise.all(deliveries.map((e) => store.recordChunk(VIN, e, `k/${e.chunk_index}`)));
    expect(results.filter((r) => r.outcome === 'stored')).toHaveLength(40);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(80);
    const again = await Promise.all([store.recordChunk(VIN, events[0]!, 'k'), store.recordChunk(VIN, env(b, 'y', 0, 'evil'), 'k')]);
    expect(again).toEqual([{ outcome: 'duplicate' }, { outcome: 'conflict', existingSha256: events[0]!.sha256 }]);
    expect((await store.get(b))?.chunks_stored).toBe(40);
    expect(await store.chunks(b)).toHaveLength(40);
  });
  it('answers chunkContext per caller of one group: the batch and the ledger row, each or neither', async () => {
    const known = randomUUID();
    const stored = env(known, 'f', 0);
    await store.recordChunk(VIN, stored, 'k/stored');
    const unknown = randomUUID();
    // The first call runs alone; the rest wait for it and form one group (with an id that cannot be grouped).
    const [, inLedger, notInLedger, noBatch, upper, malformed] = await Promise.all([
      store.chunkContext(randomUUID(), 'w', 0),
      store.chunkContext(known, 'f', 0),
      store.chunkContext(known, 'f', 1),
      store.chunkContext(unknown, 'f', 0),
      store.chunkContext(known.toUpperCase(), 'f', 0),
      store.chunkContext('not-a-uuid', 'f', 0),
    ]);
    expect(inLedger).toEqual({
      batch: { vin: VIN, state: 'pending', manifest: null },
      chunk: { batch_id: known, file_id: 'f', chunk_index: 0, topic: '/t/f', sha256: stored.sha256, byte_length: 1, raw_length: 1, rows: 1, object_key: 'k/stored' },
    });
    expect(notInLedger).toEqual({ batch: { vin: VIN, state: 'pending', manifest: null }, chunk: null });
    expect(noBatch).toEqual({ batch: null, chunk: null });
    expect(upper).toEqual(inLedger);
    expect(malformed).toEqual({ batch: null, chunk: null });
  });

  it('PgBarrier groups concurrent events: one fired per batch, done for the rest, conflict for a foreign sha256', async () => {
    const batches = [randomUUID(), randomUUID(), randomUUID()];
    for (const b of batches) {
      const m: BatchManifest = {
        v: 1, batch_id: b, vehicle: { vin: VIN, platform: 'J7', firmware: {} }, recording: { name: 'd.mcap', bytes: 1, truncated: false },
        files: [{ file_id: 'f', topic: '/t/f', chunk_count: 3, rows: 1, raw_bytes: 1 }], topics: [], problems: [], created_at: new Date().toISOString(),
      };
      expect((await store.putManifest(m)).outcome).toBe('stored');
      for (let i = 0; i < 3; i++) await store.recordChunk(VIN, env(b, 'f', i), `k/${i}`);
    }
    const barrier = new PgBarrier(db.pool);
    const ev = (b: string, i: number, salt = '') => ({ batchId: b, fileId: 'f', chunkIndex: i, sha256: env(b, 'f', i, salt).sha256 });
    // The first call runs alone; all others wait for it and form one group.
    const calls = [ev(batches[2]!, 0), ev(batches[0]!, 1, 'evil'), ...batches.flatMap((b) => [ev(b, 0), ev(b, 1), ev(b, 2)])];
    const answers = await Promise.all(calls.map((e) => barrier.record(e)));
    expect(answers[1]).toBe('conflict');
    for (const b of batches) {
      const mine = answers.filter((_, i) => i !== 1 && calls[i]!.batchId === b);
      expect(mine.filter((a) => a === 'fired')).toHaveLength(1);
      expect(mine.filter((a) => a !== 'fired').every((a) => a === 'done')).toBe(true);
      expect(await store.get(b)).toMatchObject({ state: 'uploaded', chunks_stored: 3 });
      expect((await store.events(b)).filter((x) => x.state === 'uploaded')).toHaveLength(1);
    }
    expect(await Promise.all([barrier.record(ev(batches[0]!, 2)), barrier.record(ev(batches[1]!, 0, 'evil'))])).toEqual(['done', 'conflict']);
  });
});
