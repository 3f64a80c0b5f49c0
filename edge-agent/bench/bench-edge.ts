// npm run bench:edge — the agent's pack pipeline (native parse → per-topic CSV
// → zstd-1 chunks, the default, and gzip-1 for comparison → outbox frames) on a
// 20-minute reference drive. The drive is written first; packing runs the
// compiled agent (dist/, rebuilt first) in a fresh plain-node child process
// (pack-child.mjs) so its peak RSS and CPU time are the pipeline's own
// (process.cpuUsage covers the parser's worker threads). A second child compares codecs on the same CSV chunks.
// Then the real upload: `argus-agent run` (compiled, as deployed) takes the
// drive to an embedded hub over MQTT through a byte-counting TCP relay, so
// `upload_ratio` is every byte the agent sent on the wire (MQTT framing,
// manifest and chunk frames, acknowledgements) over the recording's bytes.
// Last line: JSON with the figures. Options: --duration S (default 1200), --runs N (zstd-1 packs, best
// reported; default 5), --keep.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseRecording } from '@argus/native';
import { vehicleToken } from '@argus/shared';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { compress as zstd } from 'zstd-napi';
import type { AgentConfigInput, DriveEntry } from '../src/index.js';
import { AgentProcess } from '../../test/crash/agent-process.js';
import { startTestHub } from '../../test/support/test-hub.js';

const SELF = fileURLToPath(import.meta.url);
const PACK_CHILD = fileURLToPath(new URL('./pack-child.mjs', import.meta.url));
const BUILD = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
const argv = process.argv.slice(2);
const opt = (n: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : undefined);
const RUNS = Math.max(1, Number(opt('runs') ?? 5));
const CHUNK = Number(process.env['ARGUS_BENCH_CHUNK_BYTES'] ?? 1024 * 1024);
const cpuS = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** Child: parse once; compress every CSV chunk with each codec; CPU seconds and bytes per codec. */
async function childCompare(file: string): Promise<void> {
  const codecs: Record<string, (b: Buffer) => Buffer> = {
    'gzip-1': (b) => gzipSync(b, { level: 1 }), 'gzip-6': (b) => gzipSync(b, { level: 6 }), 'gzip-9': (b) => gzipSync(b, { level: 9 }),
    'zstd-1': (b) => zstd(b, { compressionLevel: 1 }), 'zstd-3': (b) => zstd(b, { compressionLevel: 3 }), 'zstd-9': (b) => zstd(b, { compressionLevel: 9 }),
  };
  const r: Record<string, { bytes: number; cpu_s: number }> = Object.fromEntries(Object.keys(codecs).map((k) => [k, { bytes: 0, cpu_s: 0 }]));
  let raw = 0;
  const c0 = process.cpuUsage();
  let compressCpu = 0;
  for await (const c of parseRecording(file, { chunkBytes: 1024 * 1024 })) {
    raw += c.csv.length;
    for (const [k, f] of Object.entries(codecs)) {
      const u = process.cpuUsage();
      const out = f(c.csv);
      const d = cpuS(process.cpuUsage(u));
      compressCpu += d;
      (r[k] as { bytes: number; cpu_s: number }).bytes += out.length;
      (r[k] as { bytes: number; cpu_s: number }).cpu_s += d;
    }
  }
  const parseCpu = cpuS(process.cpuUsage(c0)) - compressCpu;
  process.stdout.write(`${JSON.stringify({ csv_bytes: raw, parse_cpu_s: parseCpu, codecs: r })}\n`);
}

function child(args: string[]): Record<string, unknown> {
  // MALLOC_ARENA_MAX=1 as in deploy/argus-agent.service: glibc's per-thread arenas otherwise bloat RSS
  // (the parser and zlib allocate on worker threads). A pack child runs the compiled agent with plain node.
  const argv = args[0] === '--child-pack' ? [PACK_CHILD, ...args.slice(1), String(CHUNK)] : ['--import', 'tsx', SELF, ...args];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] ?? '1' } });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

/** A TCP relay to `target` that counts the bytes each way. */
async function countingRelay(target: URL): Promise<{ url: string; up: () => number; down: () => number; close: () => Promise<void> }> {
  let up = 0;
  let down = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const hub = net.connect(Number(target.port), target.hostname);
    for (const s of [client, hub]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { client.destroy(); hub.destroy(); });
    }
    client.on('data', (d: Buffer) => { up += d.length; });
    hub.on('data', (d: Buffer) => { down += d.length; });
    client.pipe(hub);
    hub.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`, up: () => up, down: () => down,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** CPU seconds a live process has used so far (/proc, Linux). */
async function procCpuS(pid: number): Promise<number> {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / 100;  // utime, stime in clock ticks (USER_HZ = 100)
}

/** Uploads the drive with the agent daemon to an embedded hub; returns wire bytes and times. */
async function uploadRun(file: string, work: string): Promise<{ wire_up_bytes: number; wire_down_bytes: number; hub_payload_bytes: number; wall_s: number; agent_cpu_s: number; agent_start_cpu_s: number; chunks: number }> {
  const t = await startTestHub();
  const relay = await countingRelay(new URL(t.hub.mqttUrl));
  const vin = randomVin(Rng.derive(1200, 'vin'), 'J7');
  const dir = path.join(work, 'upload');
  const cfg: AgentConfigInput = {
    vin, token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: relay.url, httpUrl: t.hub.httpUrl,
    recordingsDir: path.join(dir, 'recordings'), stateDir: path.join(dir, 'state'), detect: 'marker', scanIntervalMs: 200, logLevel: 'info',
  };
  let agent: AgentProcess | undefined;
  try {
    await mkdir(cfg.recordingsDir as string, { recursive: true });
    agent = await AgentProcess.start(dir, cfg);
    await agent.waitFor((l) => l.msg === 'agent started', 60_000);
    const startCpu = await procCpuS(agent.child.pid as number);
    const t0 = performance.now();
    const rec = path.join(cfg.recordingsDir as string, path.basename(file));
    await copyFile(file, rec);
    await writeFile(`${rec}.done`, '');
    await agent.waitFor((l) => l.msg === 'drive complete', 600_000);
    const wall = (performance.now() - t0) / 1000;
    const cpu = await procCpuS(agent.child.pid as number);
    const drives = (JSON.parse(await readFile(path.join(cfg.stateDir as string, 'journal.json'), 'utf8')) as { drives: DriveEntry[] }).drives;
    const metrics = await t.hub.metrics.registry.getSingleMetricAsString('argus_ingest_bytes_total');
    const payload = [...metrics.matchAll(/^argus_ingest_bytes_total\{[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
    return { wire_up_bytes: relay.up(), wire_down_bytes: relay.down(), hub_payload_bytes: payload, wall_s: wall, agent_cpu_s: cpu, agent_start_cpu_s: startCpu, chunks: drives[0]?.chunks ?? 0 };
  } finally {
    await agent?.kill('SIGTERM');
    await relay.close();
    await t.stop();
  }
}

async function main(): Promise<void> {
  if (argv[0] === '--child-compare') return childCompare(argv[1] as string);
  const durationS = Number(opt('duration') ?? 1200);
  // Measure what the vehicle runs: the compiled agent, rebuilt from the current sources.
  const built = spawnSync(process.execPath, [BUILD], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the agent failed: ${built.stderr}`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'argus-bench-edge-'));
  try {
    const file = path.join(work, 'reference.mcap');
    const t0 = performance.now();
    const w = await writeDrive({ out: file, seed: 1200, platform: 'J7', vin: randomVin(Rng.derive(1200, 'vin'), 'J7'), durationS, faults: [{ code: '0xA001' }] });
    const recBytes = (await stat(file)).size;
    process.stderr.write(`reference drive: ${durationS} s, ${(recBytes / 1e6).toFixed(1)} MB, ${w.messages} messages (written in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    const levels: Record<string, Record<string, unknown>> = {};
    // The default codec is packed RUNS times, each in a fresh process, and the run with the least CPU
    // is reported (the others are printed): this machine is shared, and other work only ever adds.
    const cpuRuns: number[] = [];
    for (const codec of [...Array<string>(RUNS).fill('zstd-1'), 'gzip-1']) {
      const r = child(['--child-pack', file, path.join(work, `state-${codec}`), codec]);
      if (codec === 'zstd-1') cpuRuns.push(r['cpu_s'] as number);
      if (!levels[codec] || (r['cpu_s'] as number) < (levels[codec]['cpu_s'] as number)) levels[codec] = r;
      process.stderr.write(`pack ${codec}: ${JSON.stringify(r)}\n`);
      await rm(path.join(work, `state-${codec}`), { recursive: true, force: true });
    }
    const cmp = child(['--child-compare', file]);
    process.stderr.write(`codecs: ${JSON.stringify(cmp)}\n`);
    const up = await uploadRun(file, work);
    process.stderr.write(`upload: ${JSON.stringify(up)}\n`);
    const main = levels['zstd-1'] as { wall_s: number; cpu_s: number; user_s: number; system_s: number; page_faults: number; peak_rss_mb: number; rss_at_start_mb: number; outbox_bytes: number; chunks: number };
    const out = {
      drive_s: durationS, recording_mb: +(recBytes / 1e6).toFixed(2), codec: 'zstd-1', chunks: main.chunks,
      wall_s: +main.wall_s.toFixed(2), cpu_s: +main.cpu_s.toFixed(2), cpu_s_runs: cpuRuns.map((x) => +x.toFixed(2)), mb_per_cpu_s: +(recBytes / 1e6 / main.cpu_s).toFixed(1),
      user_s: +main.user_s.toFixed(2), system_s: +main.system_s.toFixed(2), page_faults: main.page_faults,
      peak_rss_mb: +main.peak_rss_mb.toFixed(1), rss_at_start_mb: +main.rss_at_start_mb.toFixed(1), upload_ratio: +(up.wire_up_bytes / recBytes).toFixed(3), outbox_ratio: +(main.outbox_bytes / recBytes).toFixed(3),
      upload: { wall_s: +up.wall_s.toFixed(2), agent_cpu_s: +up.agent_cpu_s.toFixed(2), agent_start_cpu_s: +up.agent_start_cpu_s.toFixed(2), drive_cpu_s: +(up.agent_cpu_s - up.agent_start_cpu_s).toFixed(2), wire_up_mb: +(up.wire_up_bytes / 1e6).toFixed(2), wire_down_mb: +(up.wire_down_bytes / 1e6).toFixed(3), hub_payload_mb: +(up.hub_payload_bytes / 1e6).toFixed(2), chunks: up.chunks },
      gzip1: { mb_per_cpu_s: +(recBytes / 1e6 / (levels['gzip-1'] as { cpu_s: number }).cpu_s).toFixed(1), upload_ratio: +((levels['gzip-1'] as { outbox_bytes: number }).outbox_bytes / recBytes).toFixed(3), peak_rss_mb: +(levels['gzip-1'] as { peak_rss_mb: number }).peak_rss_mb.toFixed(1) },
      codecs: Object.fromEntries(Object.entries((cmp as { codecs: Record<string, { bytes: number; cpu_s: number }> }).codecs).map(([k, v]) => [k, { ratio_vs_recording: +(v.bytes / recBytes).toFixed(3), cpu_s: +v.cpu_s.toFixed(2) }])),
      csv_mb: +(((cmp as { csv_bytes: number }).csv_bytes) / 1e6).toFixed(1), parse_cpu_s: +((cmp as { parse_cpu_s: number }).parse_cpu_s).toFixed(2),
      targets: { mb_per_cpu_s: 50, peak_rss_mb: 150, upload_ratio: 1.0 },
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    if (!argv.includes('--keep')) await rm(work, { recursive: true, force: true });
  }
}

await main();
