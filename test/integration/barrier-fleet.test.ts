import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOf, shuffle } from '../../cloud-hub/src/barrier/barrier.suite.js';
import type { ExpectedFiles } from '../../cloud-hub/src/barrier/barrier.js';
import { openDatabase, type Database } from '../../cloud-hub/src/db/database.js';
import type { Delivery } from '../support/barrier-fleet-worker.js';
import { startRedis, type LocalServer } from '../support/local-server.js';
import { testLogger } from '../support/test-hub.js';

const run = promisify(execFile);
const WORKER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/barrier-fleet-worker.ts');
const BATCHES = Number(process.env['ARGUS_FLEET_BATCHES'] ?? 100);
const CHUNKS = 100; // per batch: BATCHES × CHUNKS chunk events
const COPIES = 3;
const PROCESSES = 2;
const WORKERS_PER_PROCESS = 4;

/**
 * The CI check: 10,000 chunk events over 100 batches (two files each,
 * 60 + 40 chunks), each event and each manifest delivered three times, shuffled,
 * split over two hub processes of four concurrent workers: every batch fires
 * exactly once, across both processes.
 */
function deliveries(seed: number): { batches: string[]; parts: Delivery[][] } {
  const batches: string[] = [];
  const all: Delivery[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const batchId = crypto.randomUUID();
    batches.push(batchId);
    const files: ExpectedFiles = [{ fileId: 'f0', chunkCount: CHUNKS * 0.6 }, { fileId: 'f1', chunkCount: CHUNKS * 0.4 }];
    for (let c = 0; c < COPIES; c++) {
      all.push({ manifest: { batchId, files } });
      for (const e of eventsOf(batchId, files)) all.push({ chunk: e });
    }
  }
  shuffle(all, seed);
  const parts: Delivery[][] = Array.from({ length: PROCESSES }, () => []);
  all.forEach((d, i) => parts[i % PROCESSES]?.push(d));
  return { batches, parts };
}

async function runFleet(kind: 'pg' | 'redis', url: string, dir: string, seed: number): Promise<{ batches: string[]; fired: string[]; ms: number }> {
  const { batches, parts } = deliveries(seed);
  const t0 = Date.now();
  const outs = await Promise.all(parts.map(async (part, i) => {
    const file = path.join(dir, `${kind}-${i}.json`);
    await writeFile(file, JSON.stringify(part));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...process.env, FLEET_KIND: kind, FLEET_URL: url, FLEET_FILE: file, FLEET_WORKERS: String(WORKERS_PER_PROCESS) },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { fired: string[] };
  }));
  return { batches, fired: outs.flatMap((o) => o.fired), ms: Date.now() - t0 };
}

function expectEachFiredOnce(batches: string[], fired: string[]): void {
  const counts = new Map<string, number>();
  for (const b of fired) counts.set(b, (counts.get(b) ?? 0) + 1);
  expect(fired).toHaveLength(batches.length);
  expect(batches.filter((b) => counts.get(b) !== 1)).toEqual([]);
}

describe(`barrier fleet check: ${BATCHES * CHUNKS} chunk events × ${COPIES}, ${PROCESSES} processes × ${WORKERS_PER_PROCESS} workers`, () => {
  let dir: string;
  let redis: LocalServer;
  let db: Database;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-fleet-'));
    [redis, db] = await Promise.all([startRedis(), openDatabase({ dataDir: dir, log: testLogger() })]);
  });
  afterAll(async () => {
    await redis?.stop();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('RedisBarrier: every batch fires exactly once', async () => {
    const r = await runFleet('redis', `redis://127.0.0.1:${redis.port}`, dir, 1);
    console.log(`redis fleet: ${r.ms} ms`);
    expectEachFiredOnce(r.batches, r.fired);
  });

  it('PgBarrier (PGlite served by the embedded wire server to both processes): every batch fires exactly once', async () => {
    const r = await runFleet('pg', db.url, dir, 2);
    console.log(`pg fleet: ${r.ms} ms`);
    expectEachFiredOnce(r.batches, r.fired);
    const rows = await db.pool.query<{ state: string; n: number; uploaded_events: number }>(
      `SELECT b.state, b.chunks_stored AS n, (SELECT count(*)::int FROM batch_events e WHERE e.batch_id = b.batch_id AND e.state = 'uploaded') AS uploaded_events
         FROM batches b WHERE b.batch_id = ANY($1::uuid[])`, [r.batches]);
    expect(rows.rows).toHaveLength(BATCHES);
    expect(rows.rows.every((x) => x.state === 'uploaded' && x.n === CHUNKS && x.uploaded_events === 1)).toBe(true);
  }, 240_000);
});
