import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, apiPath, vehicleToken, type BatchManifest, type ChunkEnvelope } from '@argus/shared';
import { openDatabase, type Database } from '../../cloud-hub/src/db/database.js';
import { startRedis, type LocalServer } from '../support/local-server.js';
import { testLogger } from '../support/test-hub.js';

const HUB_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/hub-process.ts');
const SECRET = 'crash-test-fleet-secret';
const VIN = 'LJ8E3C1M5PB000777';
const CHUNKS = 4;
const GATHER_DELAY_MS = 1500; // per chunk read: a gather takes ≥ 6 s, long enough to be killed in
const LOCK_MS = 2000; // a dead hub's job is taken over within about twice this

interface HubProc {
  name: string;
  proc: ChildProcess;
  httpUrl: string;
  /** Parsed JSON log lines of this hub. */
  logs: Record<string, unknown>[];
}

/** A drive of one topic in CHUNKS gzip CSV chunks, built by hand. */
function drive(batchId: string): { manifest: BatchManifest; chunks: { env: ChunkEnvelope; data: Buffer }[] } {
  const chunks = Array.from({ length: CHUNKS }, (_, c) => {
    const lines = ['log_time_ns,publish_time_ns,sequence,cpu_temp_c'];
    for (let i = 0; i < 50; i++) {
      const n = c * 50 + i;
      lines.push(`${1e9 + n * 1e8},${1e9 + n * 1e8},${n},${50 + (n % 7)}`);
    }
    const raw = Buffer.from(`${lines.join('\n')}\n`);
    const data = gzipSync(raw);
    const env: ChunkEnvelope = {
      v: 1, batch_id: batchId, file_id: 't000', topic: '/compute/stats', chunk_index: c, chunk_count: CHUNKS,
      sha256: createHash('sha256').update(data).digest('hex'), content_encoding: 'gzip', byte_length: data.length, raw_length: raw.length, rows: 50,
    };
    return { env, data };
  });
  const manifest = {
    v: 1, batch_id: batchId, vehicle: { vin: VIN, platform: 'J7', firmware: { adcu: '4.6.2' } },
    recording: { name: 'crash.mcap', bytes: 1000, truncated: false },
    files: [{ file_id: 't000', topic: '/compute/stats', chunk_count: CHUNKS, rows: 50 * CHUNKS, raw_bytes: chunks.reduce((n, c) => n + c.env.raw_length, 0) }],
    topics: [], problems: [], created_at: new Date().toISOString(),
  } satisfies BatchManifest;
  return { manifest, chunks };
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a hub killed mid-gather in scale mode (Redis barrier + BullMQ, shared Postgres and object store)', () => {
  let dir: string;
  let redis: LocalServer;
  let db: Database;
  const hubs: HubProc[] = [];

  const startHubProcess = async (name: string): Promise<HubProc> => {
    const proc = spawn(process.execPath, ['--import', 'tsx', HUB_SCRIPT], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HUB_NAME: name, LOG_LEVEL: 'info',
        DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        ARGUS_DATA_DIR: path.join(dir, 'hubs'), ARGUS_VEHICLE_SECRET: SECRET,
        ARGUS_TEST_GATHER_DELAY_MS: String(GATHER_DELAY_MS), HUB_QUEUE_LOCK_MS: String(LOCK_MS),
      },
    });
    const h: HubProc = { name, proc, httpUrl: '', logs: [] };
    hubs.push(h);
    let err = '';
    proc.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
      const lines = err.split('\n');
      err = lines.pop() ?? '';
      for (const l of lines) {
        try {
          h.logs.push(JSON.parse(l) as Record<string, unknown>);
        } catch {
          h.logs.push({ msg: l });
        }
      }
    });
    h.httpUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.once('exit', (code) => reject(new Error(`hub ${name} exited with ${code}: ${h.logs.slice(-5).map((l) => JSON.stringify(l)).join('\n')}`)));
      proc.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /READY (\{.*\})/.exec(out);
        if (m) resolve((JSON.parse(m[1] as string) as { httpUrl: string }).httpUrl);
      });
    });
    proc.removeAllListeners('exit');
    return h;
  };

  const upload = async (batchId: string, to: HubProc[]) => {
    const { manifest, chunks } = drive(batchId);
    const auth = { 'x-argus-vin': VIN, authorization: `Bearer ${vehicleToken(SECRET, VIN)}` };
    const put = async (h: HubProc, p: string, body: Buffer | string, extra: Record<string, string> = {}) => {
      const r = await fetch(`${h.httpUrl}${p}`, { method: 'PUT', body, headers: { ...auth, ...extra } });
      expect(r.status, await r.clone().text()).toBeLessThan(300);
    };
    await put(to[0] as HubProc, apiPath(API.manifest, { batchId }), JSON.stringify(manifest), { 'content-type': 'application/json' });
    // Chunks spread over the hubs: the barrier fires on whichever stores the last one.
    for (const [i, c] of chunks.entries()) {
      await put(to[i % to.length] as HubProc, apiPath(API.chunk, { batchId, fileId: c.env.file_id, index: c.env.chunk_index }), c.data, {
        'x-argus-envelope': JSON.stringify(c.env), 'content-type': 'application/octet-stream',
      });
    }
  };

  const gatherStarts = (h: HubProc, batchId: string) => h.logs.filter((l) => l['msg'] === 'job started' && l['stage'] === 'gather' && l['batch_id'] === batchId);
  const state = async (batchId: string) => (await db.pool.query<{ state: string }>('SELECT state FROM batches WHERE batch_id = $1', [batchId])).rows[0]?.state;
  const events = async (batchId: string) => (await db.pool.query<{ state: string }>('SELECT state FROM batch_events WHERE batch_id = $1 ORDER BY id', [batchId])).rows.map((r) => r.state);

  /** Waits until some hub runs the batch's gather and the batch is `gathering`, then SIGKILLs that hub. */
  const killTheGatherer = async (batchId: string, among: HubProc[]): Promise<HubProc> => {
    const victim = await until('a hub to start the gather', () => among.find((h) => gatherStarts(h, batchId).length > 0));
    await until('the batch to be gathering', async () => ((await state(batchId)) === 'gathering' ? true : undefined));
    victim.proc.kill('SIGKILL');
    await new Promise((r) => victim.proc.once('exit', r));
    expect(await state(batchId)).toBe('gathering'); // killed mid-gather: the gather could not have finished yet
    return victim;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-crash-'));
    [redis, db] = await Promise.all([startRedis(), openDatabase({ dataDir: path.join(dir, 'pg'), log: testLogger() })]);
    await startHubProcess('A'); // seeds the knowledge base first
    await startHubProcess('B');
  }, 180_000);

  afterAll(async () => {
    for (const h of hubs) if (h.proc.exitCode === null && h.proc.signalCode === null) {
      const exited = new Promise((r) => h.proc.once('exit', r));
      h.proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (h.proc.exitCode === null) h.proc.kill('SIGKILL');
    }
    await redis?.stop();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('the other hub takes the gather over and finishes the batch', async () => {
    const batchId = randomUUID();
    await upload(batchId, hubs.slice(0, 2));
    const victim = await killTheGatherer(batchId, hubs.slice(0, 2));
    const survivor = hubs.find((h) => h !== victim) as HubProc;
    await until('the batch to be diagnosed', async () => ((await state(batchId)) === 'diagnosed' ? true : undefined));
    expect(gatherStarts(survivor, batchId).length).toBeGreaterThan(0);
    const ev = await events(batchId);
    expect(ev.filter((s) => s === 'uploaded')).toHaveLength(1);
    expect(ev.filter((s) => s === 'gathering').length).toBeGreaterThanOrEqual(2); // re-entered after the crash
    expect(ev.filter((s) => s === 'gathered')).toHaveLength(1);
    expect(ev.filter((s) => s === 'diagnosed')).toHaveLength(1);
    expect((await db.pool.query('SELECT 1 FROM reports WHERE batch_id = $1', [batchId])).rowCount).toBe(1);
  }, 150_000);

  it('with no other hub alive, the job resumes when a hub restarts; no batch is left stuck', async () => {
    const alive = hubs.filter((h) => h.proc.exitCode === null && h.proc.signalCode === null);
    expect(alive).toHaveLength(1);
    const batchId = randomUUID();
    await upload(batchId, alive);
    await killTheGatherer(batchId, alive);
    const restarted = await startHubProcess('C');
    await until('the batch to be diagnosed', async () => ((await state(batchId)) === 'diagnosed' ? true : undefined));
    expect(gatherStarts(restarted, batchId).length).toBeGreaterThan(0);
    const stuck = await db.pool.query<{ batch_id: string; state: string }>("SELECT batch_id::text, state FROM batches WHERE state NOT IN ('diagnosed', 'failed')");
    expect(stuck.rows).toEqual([]);
  }, 180_000);
});
