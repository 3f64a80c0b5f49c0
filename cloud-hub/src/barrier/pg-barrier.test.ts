import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, type BatchManifest } from '@argus/shared';
import { openDatabase } from '../db/database.js';
import { PgBatchStore } from '../store/pg-batch-store.js';
import { barrierSuite } from './barrier.suite.js';
import { PgBarrier } from './pg-barrier.js';

const VIN = 'LJ8E3C1M5PB000123';

// PgBarrier on PGlite over the pg wire protocol; the batch store writes the
// ledger and the manifest first, exactly as ingest does.
barrierSuite('PgBarrier', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-pg-barrier-'));
  const db = await openDatabase({ dataDir: dir, log: createLogger('silent', {}, () => undefined) });
  const store = new PgBatchStore(db.pool);
  return {
    open: () => new PgBarrier(db.pool),
    async stored(e) {
      await store.recordChunk(VIN, {
        v: 1, batch_id: e.batchId, file_id: e.fileId, topic: `/t/${e.fileId}`, chunk_index: e.chunkIndex, chunk_count: e.chunkIndex + 1,
        sha256: e.sha256, content_encoding: 'gzip', byte_length: 1, raw_length: 1, rows: 1,
      }, `k/${e.batchId}/${e.fileId}/${e.chunkIndex}`);
    },
    async manifestStored(batchId, files) {
      const m: BatchManifest = {
        v: 1, batch_id: batchId, vehicle: { vin: VIN, platform: 'J7', firmware: {} },
        recording: { name: 'd.mcap', bytes: 1, truncated: false },
        files: files.map((f) => ({ file_id: f.fileId, topic: `/t/${f.fileId}`, chunk_count: f.chunkCount, rows: 1, raw_bytes: 1 })),
        topics: [], problems: [], created_at: new Date().toISOString(),
      };
      await store.putManifest(m);
    },
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
