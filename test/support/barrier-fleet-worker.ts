/**
 * One "hub process" of the barrier fleet check (test/integration/barrier-fleet.test.ts):
 * reads its share of deliveries from a JSON file and plays them through
 * WORKERS concurrent workers, each with its own connection, exactly as ingest
 * does (store, then ask the barrier). Prints one JSON line: the batch ids this
 * process saw `fired` for, and how many deliveries it made.
 *
 * env: FLEET_KIND pg|redis, FLEET_URL (postgres or redis URL), FLEET_FILE, FLEET_WORKERS.
 */
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BatchManifest } from '@argus/shared';
import type { Barrier, ChunkEvent, ExpectedFiles } from '../../cloud-hub/src/barrier/barrier.js';
import { queryPrepared } from '../../cloud-hub/src/db/prepared-query.js';
import { PgBarrier } from '../../cloud-hub/src/barrier/pg-barrier.js';
import { RedisBarrier } from '../../cloud-hub/src/barrier/redis-barrier.js';
import { SQL } from '../../cloud-hub/src/store/pg-batch-queries.js';
import { PgBatchStore } from '../../cloud-hub/src/store/pg-batch-store.js';

/** One delivery: a chunk event or a manifest. */
export type Delivery = { chunk: ChunkEvent } | { manifest: { batchId: string; files: ExpectedFiles } };

const FLEET_VIN = 'LJ8E3C1M5PB000123';

/** The manifest the PG ledger needs for a batch (the barrier only reads `files`). */
function fleetManifest(batchId: string, files: ExpectedFiles): BatchManifest {
  return {
    v: 1, batch_id: batchId, vehicle: { vin: FLEET_VIN, platform: 'J7', firmware: {} },
    recording: { name: 'fleet.mcap', bytes: 1, truncated: false },
    files: files.map((f) => ({ file_id: f.fileId, topic: `/t/${f.fileId}`, chunk_count: f.chunkCount, rows: 1, raw_bytes: 1 })),
    topics: [], problems: [], created_at: '2026-01-01T00:00:00.000Z',
  };
}

interface Hub {
  barrier: Barrier;
  pool: pg.Pool | null;
  close(): Promise<void>;
}

/** A worker's own connection (Redis) or the process's pool (PGlite runs one query at a time anyway). */
function openHub(kind: string, url: string, pool: pg.Pool | null): Hub {
  if (kind === 'redis') {
    const redis = new Redis(url);
    return { barrier: new RedisBarrier({ redis }), pool: null, close: async () => void (await redis.quit()) };
  }
  return { barrier: new PgBarrier(pool as pg.Pool), pool, close: async () => undefined };
}

async function deliver(h: Hub, d: Delivery): Promise<{ batchId: string; fired: boolean }> {
  if ('chunk' in d) {
    const e = d.chunk;
    if (h.pool) {
      // The ledger row, insert-on-conflict — the batch store's own statement, without its per-chunk progress bookkeeping.
      await queryPrepared(h.pool, 'fleet_insert_chunk', SQL.insertChunk, [e.batchId, e.fileId, e.chunkIndex, `/t/${e.fileId}`, e.sha256, 1, 1, 1, `k/${e.batchId}/${e.fileId}/${e.chunkIndex}`]);
    }
    return { batchId: e.batchId, fired: (await h.barrier.record(e)) === 'fired' };
  }
  const m = d.manifest;
  if (h.pool) await new PgBatchStore(h.pool).putManifest(fleetManifest(m.batchId, m.files));
  return { batchId: m.batchId, fired: (await h.barrier.expect(m.batchId, m.files)) === 'fired' };
}

async function main(): Promise<void> {
  const kind = process.env['FLEET_KIND'] ?? 'redis';
  const url = process.env['FLEET_URL'] ?? '';
  const workers = Number(process.env['FLEET_WORKERS'] ?? 4);
  const deliveries = JSON.parse(await readFile(process.env['FLEET_FILE'] ?? '', 'utf8')) as Delivery[];
  const pool = kind === 'pg' ? new pg.Pool({ connectionString: url, max: Number(process.env['FLEET_PG_CONNECTIONS'] ?? 2) }) : null;
  const fired: string[] = [];
  let next = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: workers }, async () => {
    const hub = openHub(kind, url, pool);
    try {
      for (let i = next++; i < deliveries.length; i = next++) {
        const r = await deliver(hub, deliveries[i] as Delivery);
        if (r.fired) fired.push(r.batchId);
      }
    } finally {
      await hub.close();
    }
  }));
  await pool?.end();
  process.stdout.write(`${JSON.stringify({ fired, deliveries: deliveries.length, ms: Date.now() - t0 })}\n`);
}

await main();
