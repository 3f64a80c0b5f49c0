/**
 * `npm run bench:ingest` — fleet ingest throughput of one hub vs a bare broker.
 *
 * N simulated vehicles (mqtt.js clients, MQTT 3.1.1, QoS 1, in BENCH_PROCS load
 * processes apart from the one under test)
 * each upload K compressed CSV chunks, one at a time (the next after the previous
 * one's acknowledgement), all vehicles at once, on loopback:
 *   1. to a hub (embedded default: aedes + ingest + PGlite + filesystem store),
 *      latency = publish → application `chunk-ack` (the chunk is stored);
 *   2. to a bare aedes broker whose only logic is echoing an ack to the
 *      vehicle's `chunk-ack` topic — the floor any MQTT ingest can reach here.
 * Both are up for the whole run and their measured rounds alternate (BENCH_ROUNDS
 * each, hub first in odd rounds, bare first in even ones), so the host's drift
 * falls on both; each target's figures are over all its rounds.
 * Prints payload MB/s, chunks/s, p50/p99 chunk-ack latency and the CPU per
 * chunk of the process under test (and of its event loop) and of the load
 * processes, for both; the last line is JSON with `ratio_to_bare_broker`
 * (hub chunks/s ÷ bare chunks/s, over all rounds) and the ratio of each round.
 *
 * The chunks are what the edge agent sends by default: about 1 MiB of CSV
 * (its `chunkBytes`) compressed with zstd level 1 (its `compression`).
 *
 * Settings (env): BENCH_VEHICLES (500), BENCH_CHUNKS (4 per vehicle), BENCH_CHUNK_ROWS (15000 CSV rows ≈ 1 MiB),
 * BENCH_ENCODING (zstd | gzip, default zstd),
 * BENCH_PROCS (2 load processes), BENCH_ROUNDS (5 measured rounds per target).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress } from 'zstd-napi';
import { Aedes, type PublishPacket } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { createLogger, encodeChunkFrame, parseVehicleTopic, vehicleToken, vehicleTopic, type ChunkEnvelope } from '@argus/shared';
import { loadHubConfig, startHub } from '../src/index.js';

const VEHICLES = Number(process.env['BENCH_VEHICLES'] ?? 500);
const CHUNKS = Number(process.env['BENCH_CHUNKS'] ?? 4);
const ROWS = Number(process.env['BENCH_CHUNK_ROWS'] ?? 15000);
const ENCODING = process.env['BENCH_ENCODING'] === 'gzip' ? 'gzip' : 'zstd';
const PROCS = Number(process.env['BENCH_PROCS'] ?? 2);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const SECRET = 'bench-fleet-secret';

interface Result { target: string; chunks: number; bytes: number; seconds: number; mbps: number; chunksPerS: number; p50Ms: number; p99Ms: number; failed: number; cpuMsPerChunk: number; systemMsPerChunk: number; faultsPerChunk: number; loadMsPerChunk: number; idle: number; mainMsPerChunk: number | undefined; lat: number[] }

/** VINs: 17 chars from the allowed alphabet, distinct per index. */
function vinOf(i: number): string {
  return `BENCH${String(i).padStart(12, '0')}`.replace(/[IOQ]/g, 'X');
}

function chunkPayload(): { raw: Buffer; data: Buffer; sha: string } {
  const lines = ['log_time_ns,publish_time_ns,sequence,cpu_temp_c,gpu_temp_c,load'];
  for (let i = 0; i < ROWS; i++) lines.push(`${1e18 + i * 1e7},${1e18 + i * 1e7},${i},${(55 + Math.sin(i / 40) * 8).toFixed(2)},${(60 + Math.cos(i / 33) * 6).toFixed(2)},${((i * 7919) % 100) / 100}`);
  const raw = Buffer.from(`${lines.join('\n')}\n`);
  const data = ENCODING === 'gzip' ? gzipSync(raw) : zstdCompress(raw, { compressionLevel: 1 });
  return { raw, data, sha: createHash('sha256').update(data).digest('hex') };
}

async function connectAll(url: string, from: number, to: number): Promise<MqttClient[]> {
  const clients: MqttClient[] = [];
  for (let i = from; i < to; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, to - i) }, async (_, k) => {
      const vin = vinOf(i + k);
      const c = await mqtt.connectAsync(url, { username: vin, password: vehicleToken(SECRET, vin), clientId: `bench-${vin}`, protocolVersion: 4, reconnectPeriod: 0, clean: true });
      await c.subscribeAsync(vehicleTopic(vin, 'chunk-ack'), { qos: 1 });
      return c;
    }));
    clients.push(...batch);
  }
  return clients;
}

/** Load process: vehicles [from, to) connect, say `ready`, wait for `go`, upload, print their latencies as JSON. */
async function fleet(url: string, from: number, to: number, chunksEach: number): Promise<void> {
  const p = chunkPayload();
  const clients = await connectAll(url, from, to);
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((r) => lines.once('line', () => r()));
  process.stdout.write('ready\n');
  await go;
  const cpu0 = process.cpuUsage();
  const lat: number[] = [];
  let failed = 0;
  await Promise.all(clients.map(async (c, j) => {
    const vin = vinOf(from + j);
    const batchId = randomUUID();
    const waiting = new Map<number, (ok: boolean) => void>();
    c.on('message', (_t, msg) => {
      const a = JSON.parse(msg.toString()) as { chunk_index: number; ok: boolean };
      waiting.get(a.chunk_index)?.(a.ok);
    });
    for (let k = 0; k < chunksEach; k++) {
      const e: ChunkEnvelope = {
        v: 1, batch_id: batchId, file_id: 't000', topic: '/compute/stats', chunk_index: k, chunk_count: chunksEach, sha256: p.sha,
        content_encoding: ENCODING, byte_length: p.data.length, raw_length: p.raw.length, rows: ROWS,
      };
      const s = performance.now();
      const acked = new Promise<boolean>((r) => waiting.set(k, r));
      await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(e, p.data), { qos: 1 });
      if (!(await acked)) failed++;
      lat.push(performance.now() - s);
    }
  }));
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ lat, failed, bytes: p.data.length, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  await Promise.all(clients.map((c) => c.endAsync()));
  lines.close();
}

/**
 * A short unmeasured round, so both targets are measured with their code
 * compiled and their caches warm (otherwise whichever runs first pays the JIT
 * for the MQTT code both share).
 */
async function warmUp(target: string, url: string): Promise<void> {
  await run(target, url, Math.min(VEHICLES, 100), 2);
}

/** Runs the fleet in PROCS load processes against `url`; wall time from `go` to the last ack. */
async function run(target: string, url: string, vehicles: number, chunksEach: number): Promise<Result> {
  const self = fileURLToPath(import.meta.url);
  const per = Math.ceil(vehicles / PROCS);
  const procs = Array.from({ length: PROCS }, (_, k) => {
    const child = spawn(process.execPath, [...process.execArgv, self, 'fleet', url, String(k * per), String(Math.min(vehicles, (k + 1) * per)), String(chunksEach)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out = createInterface({ input: child.stdout });
    const msgs: string[] = [];
    const waiters: Array<(l: string) => void> = [];
    out.on('line', (l) => (waiters.length ? (waiters.shift() as (l: string) => void)(l) : msgs.push(l)));
    const next = () => new Promise<string>((r) => (msgs.length ? r(msgs.shift() as string) : waiters.push(r)));
    return { child, next };
  });
  for (const p of procs) if ((await p.next()) !== 'ready') throw new Error('load process failed to start');
  const t0 = performance.now();
  // CPU of this process (all its threads: broker, ingest, the embedded database worker) while the fleet uploads.
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const faults0 = process.resourceUsage().minorPageFault;
  for (const p of procs) p.child.stdin?.write('go\n');
  const parts = (await Promise.all(procs.map((p) => p.next()))).map((l) => JSON.parse(l) as { lat: number[]; failed: number; bytes: number; cpuMs: number });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  const faults = process.resourceUsage().minorPageFault - faults0;
  await Promise.all(procs.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once('exit', r)))));
  const lat = parts.flatMap((x) => x.lat).sort((a, b) => a - b);
  const failed = parts.reduce((n, x) => n + x.failed, 0);
  const loadMs = parts.reduce((n, x) => n + x.cpuMs, 0);
  const p = { data: { length: parts[0]?.bytes ?? 0 } };
  const chunks = vehicles * chunksEach;
  const bytes = chunks * p.data.length;
  return { target, chunks, bytes, seconds, mbps: bytes / 1e6 / seconds, chunksPerS: chunks / seconds, p50Ms: percentile(lat, 0.5), p99Ms: percentile(lat, 0.99), failed, cpuMsPerChunk: (cpu.user + cpu.system) / 1000 / chunks, systemMsPerChunk: cpu.system / 1000 / chunks, faultsPerChunk: faults / chunks,
    loadMsPerChunk: loadMs / chunks, mainMsPerChunk: main0 === undefined || main1 === undefined ? undefined : (main1 - main0) / chunks, idle: Math.max(0, 1 - ((cpu.user + cpu.system) / 1000 + loadMs) / (seconds * 1000 * os.cpus().length)), lat };
}

/** The value at fraction `x` of ascending `sorted` (0 when empty). */
function percentile(sorted: number[], x: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))] ?? 0;
}

/** The rounds of one target as one result: totals over totals, percentiles over every chunk. */
function merge(rs: Result[]): Result {
  const sum = (f: (r: Result) => number): number => rs.reduce((n, r) => n + f(r), 0);
  const chunks = sum((r) => r.chunks);
  const bytes = sum((r) => r.bytes);
  const seconds = sum((r) => r.seconds);
  const lat = rs.flatMap((r) => r.lat).sort((a, b) => a - b);
  const perChunk = (f: (r: Result) => number): number => sum((r) => f(r) * r.chunks) / chunks;
  const main = rs.every((r) => r.mainMsPerChunk !== undefined) ? perChunk((r) => r.mainMsPerChunk as number) : undefined;
  return {
    target: rs[0]?.target ?? '', chunks, bytes, seconds, mbps: bytes / 1e6 / seconds, chunksPerS: chunks / seconds, p50Ms: percentile(lat, 0.5), p99Ms: percentile(lat, 0.99), failed: sum((r) => r.failed),
    cpuMsPerChunk: perChunk((r) => r.cpuMsPerChunk), systemMsPerChunk: perChunk((r) => r.systemMsPerChunk), faultsPerChunk: perChunk((r) => r.faultsPerChunk), loadMsPerChunk: perChunk((r) => r.loadMsPerChunk),
    idle: sum((r) => r.idle * r.seconds) / seconds, mainMsPerChunk: main, lat,
  };
}

/**
 * CPU of this process's main thread (the event loop) in ms, from
 * /proc/self/task/<pid>/stat (utime + stime, in clock ticks of 10 ms), or
 * undefined where there is no procfs. The rest of the process's CPU is its
 * other threads: V8's compiler and GC helpers, the libuv pool, the embedded
 * database's worker.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A bare aedes broker that answers every chunk with an ack on the vehicle's chunk-ack topic. */
async function bareBroker(): Promise<{ url: string; close(): Promise<void> }> {
  const aedes = await Aedes.createBroker({
    published: (packet, client, cb) => {
      const t = client ? parseVehicleTopic(packet.topic) : null;
      if (!t || t.kind !== 'chunks') return cb();
      const h = packet.payload as Buffer;
      const env = JSON.parse(h.subarray(8, 8 + h.readUInt32BE(4)).toString()) as ChunkEnvelope;
      const ack = { v: 1, batch_id: env.batch_id, file_id: env.file_id, chunk_index: env.chunk_index, ok: true, duplicate: false };
      aedes.publish({ cmd: 'publish', topic: vehicleTopic(t.vin, 'chunk-ack'), payload: Buffer.from(JSON.stringify(ack)), qos: 1, retain: false, dup: false } as PublishPacket, () => cb());
    },
  });
  const server = net.createServer(aedes.handle as (s: net.Socket) => void);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function print(r: Result): void {
  process.stdout.write(`${r.target.padEnd(12)} ${r.chunks} chunks (${(r.bytes / 1e6).toFixed(1)} MB) in ${r.seconds.toFixed(2)} s: ${r.mbps.toFixed(2)} MB/s, ${r.chunksPerS.toFixed(0)} chunks/s, chunk-ack p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms, ${r.cpuMsPerChunk.toFixed(2)} ms CPU/chunk (${r.systemMsPerChunk.toFixed(2)} system, ${r.faultsPerChunk.toFixed(0)} page faults) in the ${r.target === 'hub' ? 'hub' : 'broker'} process${r.mainMsPerChunk === undefined ? '' : ` (${r.mainMsPerChunk.toFixed(2)} on its event loop)`}, ${r.loadMsPerChunk.toFixed(2)} ms in the load processes, CPUs ${(r.idle * 100).toFixed(0)} % idle${r.failed ? `, ${r.failed} refused` : ''}\n`);
}

if (process.argv[2] === 'fleet') {
  await fleet(process.argv[3] as string, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
  process.exit(0);
}
const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-bench-'));
const log = createLogger('silent', {}, () => {});
process.stdout.write(`bench:ingest — ${VEHICLES} vehicles × ${CHUNKS} chunks of ${ROWS} CSV rows (${ENCODING}), QoS 1, loopback, ${PROCS} load processes, ${os.cpus().length} CPUs\n`);
// Both targets stay up and their measured rounds alternate (hub, bare, then bare, hub, …), so the
// host's drift over the run falls on both sides; each target's figures are over all its rounds.
const hub = await startHub(loadHubConfig({}, { dataDir: path.join(dir, 'hub'), httpPort: 0, mqttPort: 0, vehicleSecret: SECRET, logLevel: 'silent' }), log);
const bare = await bareBroker();
const hubRounds: Result[] = [];
const bareRounds: Result[] = [];
const targets = [{ name: 'hub', url: hub.mqttUrl, results: hubRounds }, { name: 'bare aedes', url: bare.url, results: bareRounds }];
try {
  for (const t of targets) await warmUp(t.name, t.url);
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
      const res = await run(t.name, t.url, VEHICLES, CHUNKS);
      t.results.push(res);
      process.stderr.write(`  round ${r + 1}/${ROUNDS} ${t.name}: ${res.chunksPerS.toFixed(0)} chunks/s\n`);
    }
  }
} finally {
  await hub.close();
  await bare.close();
}
const hubResult = merge(hubRounds);
const bareResult = merge(bareRounds);
print(hubResult);
print(bareResult);
const perRound = hubRounds.map((h, i) => +(h.chunksPerS / (bareRounds[i] as Result).chunksPerS).toFixed(3));
process.stdout.write(`ratio per round: ${perRound.join(', ')}\n`);
await rm(dir, { recursive: true, force: true });
const ratio = hubResult.chunksPerS / bareResult.chunksPerS;
const ms3 = (x: number | undefined): number | null => (x === undefined ? null : +x.toFixed(3));
process.stdout.write(`${JSON.stringify({
  bench: 'ingest', vehicles: VEHICLES, chunks_per_vehicle: CHUNKS, encoding: ENCODING, chunk_raw_bytes: chunkPayload().raw.length, chunk_bytes: Math.round(hubResult.bytes / hubResult.chunks),
  hub: { mb_per_s: +hubResult.mbps.toFixed(3), chunks_per_s: +hubResult.chunksPerS.toFixed(1), p50_ack_ms: +hubResult.p50Ms.toFixed(1), p99_ack_ms: +hubResult.p99Ms.toFixed(1), cpu_ms_per_chunk: +hubResult.cpuMsPerChunk.toFixed(3), event_loop_ms_per_chunk: ms3(hubResult.mainMsPerChunk), refused: hubResult.failed },
  bare_broker: { mb_per_s: +bareResult.mbps.toFixed(3), chunks_per_s: +bareResult.chunksPerS.toFixed(1), p50_ack_ms: +bareResult.p50Ms.toFixed(1), p99_ack_ms: +bareResult.p99Ms.toFixed(1), cpu_ms_per_chunk: +bareResult.cpuMsPerChunk.toFixed(3), event_loop_ms_per_chunk: ms3(bareResult.mainMsPerChunk) },
  rounds: ROUNDS, ratio_per_round: perRound,
  ratio_to_bare_broker: +ratio.toFixed(3),
})}\n`);
process.exit(0);
