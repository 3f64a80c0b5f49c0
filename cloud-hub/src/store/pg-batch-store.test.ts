import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type BatchManifest, type ChunkEnvelope, type DiagnosisReport } from '@argus/shared';
import { openDatabase, type Database } from '../db/database.js';
import { PgBatchStore } from './pg-batch-store.js';

const VIN = 'LJ8E3C1M5PB000123';

function manifest(batchId: string, files: { id: string; n: number }[]): BatchManifest {
  return {
    v: 1, batch_id: batchId, vehicle: { vin: VIN, platform: 'J7', firmware: { adcu: '4.6.1' } },
    recording: { name: 'd.mcap', bytes: 1, truncated: false },
    files: files.map((f) => ({ file_id: f.id, topic: `/t/${f.id}`, chunk_count: f.n, rows: 1, raw_bytes: 1 })),
    topics: [], problems: [], created_at: new Date().toISOString(),
  };
}

function env(batchId: string, fileId: string, i: number, n: number, salt = ''): ChunkEnvelope {
  const sha = createHash('sha256').update(`${batchId}/${fileId}/${i}${salt}`).digest('hex');
  return { v: 1, batch_id: batchId, file_id: fileId, topic: `/t/${fileId}`, chunk_index: i, chunk_count: n, sha256: sha, content_encoding: 'gzip', byte_length: 1, raw_length: 1, rows: 1 };
}

// The barrier on real Postgres (PGlite with pgvector, over the pg wire protocol).
describe('PgBatchStore barrier', () => {
  let db: Database;
  let dir: string;
  let store: PgBatchStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-pg-'));
    db = await openDatabase({ dataDir: dir, log: createLogger('silent', {}, () => undefined) });
    store = new PgBatchStore(db.pool);
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fires exactly once under duplicates, reordering and concurrency, manifest last', async () => {
    const b = randomUUID();
    const files = [{ id: 'a', n: 7 }, { id: 'b', n: 5 }];
    const events = files.flatMap((f) => Array.from({ length: f.n }, (_, i) => env(b, f.id, i, f.n)));
    const deliveries = [...events, ...events, ...events].sort(() => Math.random() - 0.5);
    let fired = 0;
    await Promise.all(deliveries.map(async (e) => {
      await store.recordChunk(VIN, e, `k/${e.file_id}/${e.chunk_index}`);
      if (await store.tryCompleteUpload(b)) fired++;
    }));
    expect(fired).toBe(0); // no manifest yet: the batch cannot be complete
    expect((await store.get(b))?.state).toBe('pending');
    expect((await store.putManifest(manifest(b, files))).outcome).toBe('stored');
    const results = await Promise.all(Array.from({ length: 8 }, () => store.tryCompleteUpload(b)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const batch = await store.get(b);
    expect(batch).toMatchObject({ state: 'uploaded', chunks_stored: 12, chunks_expected: 12 });
  });

  it('does not fire while a chunk is missing, and fires on the last one', async () => {
    const b = randomUUID();
    await store.putManifest(manifest(b, [{ id: 'a', n: 3 }]));
    await store.recordChunk(VIN, env(b, 'a', 0, 3), 'k0');
    await store.recordChunk(VIN, env(b, 'a', 2, 3), 'k2');
    expect(await store.tryCompleteUpload(b)).toBe(false);
    await store.recordChunk(VIN, env(b, 'a', 1, 3), 'k1');
    expect(await store.tryCompleteUpload(b)).toBe(true);
    expect(await store.tryCompleteUpload(b)).toBe(false);
  });

  it('does not count chunks the manifest does not list', async () => {
    const b = randomUUID();
    await store.putManifest(manifest(b, [{ id: 'a', n: 2 }]));
    await store.recordChunk(VIN, env(b, 'a', 0, 2), 'k0');
    await store.recordChunk(VIN, env(b, 'zz', 0, 1), 'kz');
    await store.recordChunk(VIN, env(b, 'a', 5, 9), 'k5');
    expect(await store.tryCompleteUpload(b)).toBe(false);
  });

  it('is idempotent by chunk id + sha256 and refuses a different payload under the same id', async () => {
    const b = randomUUID();
    expect((await store.recordChunk(VIN, env(b, 'a', 0, 1), 'k')).outcome).toBe('stored');
    expect((await store.recordChunk(VIN, env(b, 'a', 0, 1), 'k')).outcome).toBe('duplicate');
    expect((await store.recordChunk(VIN, env(b, 'a', 0, 1, 'other'), 'k')).outcome).toBe('conflict');
    expect(await store.chunks(b)).toHaveLength(1);
  });

  it('keeps the first manifest; a different second one is a conflict', async () => {
    const b = randomUUID();
    expect((await store.putManifest(manifest(b, [{ id: 'a', n: 2 }]))).outcome).toBe('stored');
    expect((await store.putManifest(manifest(b, [{ id: 'a', n: 2 }]))).outcome).toBe('duplicate');
    expect((await store.putManifest(manifest(b, [{ id: 'a', n: 3 }]))).outcome).toBe('conflict');
    expect((await store.get(b))?.chunks_expected).toBe(2);
  });

  it('moves states only from the expected ones and records every event', async () => {
    const b = randomUUID();
    await store.putManifest(manifest(b, [{ id: 'a', n: 1 }]));
    await store.recordChunk(VIN, env(b, 'a', 0, 1), 'k');
    expect(await store.tryCompleteUpload(b)).toBe(true);
    expect(await store.transition(b, ['gathered'], 'diagnosing')).toBe(false);
    expect(await store.transition(b, ['uploaded'], 'gathering')).toBe(true);
    await store.fail(b, 'boom');
    expect((await store.get(b))?.reason).toBe('boom');
    expect((await store.events(b)).map((e) => e.state)).toEqual(['uploading', 'uploaded', 'gathering', 'failed']);
  });

  it('counts retries per batch with a retry event naming the stage and attempt; the state does not move', async () => {
    const b = randomUUID();
    await store.putManifest(manifest(b, [{ id: 'a', n: 1 }]));
    await store.noteRetry(b, 'gather', 2);
    await store.noteRetry(b, 'gather', 3);
    const rec = await store.get(b);
    expect(rec?.retries).toBe(2);
    expect(rec?.state).toBe('uploading');
    const retries = (await store.events(b)).filter((e) => e.state === 'retry');
    expect(retries.map((e) => e.detail)).toEqual([{ stage: 'gather', attempt: 2 }, { stage: 'gather', attempt: 3 }]);
    await store.noteRetry(randomUUID(), 'gather', 2); // unknown batch: no event, no error
  });

  it('lists a vehicle\'s unacknowledged reports oldest first; an acknowledgement takes one off the list', async () => {
    const vin = 'LJ8E3C1M5PB000999';
    const report = (batchId: string, id: string): DiagnosisReport => ({
      v: 1, report_id: id, batch_id: batchId, vin, platform: 'J7', status: 'healthy', summary: 'ok', findings: [], engine: 'rules', trace: [], created_at: new Date().toISOString(),
    });
    const [b1, b2] = [randomUUID(), randomUUID()];
    await store.putReport(report(b1, `r-${b1}`));
    await store.putReport(report(b2, `r-${b2}`));
    await store.putReport({ ...report(randomUUID(), `r-other-${b1}`), vin: VIN }); // another vehicle's
    expect((await store.undeliveredReports(vin)).map((r) => r.report_id)).toEqual([`r-${b1}`, `r-${b2}`]);
    expect(await store.markReportDelivered(`r-${b1}`, VIN)).toBe(false); // another vehicle cannot acknowledge it
    expect((await store.undeliveredReports(vin)).map((r) => r.report_id)).toEqual([`r-${b1}`, `r-${b2}`]);
    expect(await store.markReportDelivered(`r-${b1}`, vin)).toBe(true);
    expect(await store.markReportDelivered(`r-${b1}`, vin)).toBe(false); // first acknowledgement wins
    expect((await store.undeliveredReports(vin)).map((r) => r.report_id)).toEqual([`r-${b2}`]);
    expect(await store.undeliveredReports(vin, 0)).toEqual([]);
  });
});
