// npm run test:crash — uploads several simulated drives to a real hub while
// killing the agent process with SIGKILL at random instants (≥ 50), restarting
// it each time; then proves from the hub's chunk ledger that every chunk
// arrived exactly once and each drive's barrier fired exactly once.
// Last line: `kills=N lost=0 duplicates=0 drives=M`; exit 1 on any failure.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { vehicleToken } from '@argus/shared';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import type { AgentConfigInput, DriveEntry } from '@argus/edge-agent';
import { startTestHub } from '../support/test-hub.js';
import { AgentProcess } from './agent-process.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const KILLS = arg('kills', 50);
const DRIVES = arg('drives', 6);
const SEED = arg('seed', Date.now() % 100000);
const rng = Rng.derive(SEED, 'crash');

/**
 * What the agent was doing at the kill, from its journal and its last log
 * line: parse (a drive not yet packed), outbox (writing frames / manifest),
 * upload (chunks in flight), ack (all acknowledged, confirming the barrier).
 * One kill may count in several (packing and uploading run side by side).
 */
function phasesAt(drives: DriveEntry[], lastMsg: string | undefined): string[] {
  const p = new Set<string>();
  for (const d of drives) {
    if (d.state === 'detected') p.add('parse');
    if (d.state === 'packed') p.add('outbox');
    if (d.state === 'uploading') p.add('upload');
    if (d.state === 'uploaded') p.add('ack');
  }
  if (lastMsg && /recording packed|quota/.test(lastMsg)) p.add('outbox');
  if (p.size === 0) p.add('idle');
  return [...p];
}

const AIMS = [
  { msg: null, minMs: 30, maxMs: 1500 },
  { msg: 'recording packed', minMs: 0, maxMs: 15 },
  { msg: null, minMs: 30, maxMs: 1500 },
  { msg: 'upload started', minMs: 0, maxMs: 400 },
  { msg: null, minMs: 30, maxMs: 1500 },
  { msg: 'all chunks acknowledged by the hub', minMs: 0, maxMs: 30 },
] as const;

const PARSE_AIM = { msg: 'drive detected', minMs: 0, maxMs: 300 } as const;

async function main(): Promise<number> {
  const t = await startTestHub();
  const work = await mkdtemp(path.join(os.tmpdir(), 'argus-crash-'));
  const vin = randomVin(Rng.derive(SEED, 'vin'), 'J7');
  const cfg: AgentConfigInput = {
    vin, token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, httpUrl: t.hub.httpUrl,
    recordingsDir: path.join(work, 'recordings'), stateDir: path.join(work, 'state'), detect: 'marker',
    scanIntervalMs: 200, chunkBytes: 16 * 1024, inflight: 4, bandwidthBytesPerS: 50_000, ackTimeoutMs: 5000, reconnectMinMs: 100, reconnectMaxMs: 1000, logLevel: 'debug', nice: 0,
  };
  const started = Date.now();
  let drivesWritten = 0;
  const addDrive = async () => {
    const name = `drive-${String(drivesWritten).padStart(2, '0')}.mcap`;
    const out = path.join(cfg.recordingsDir as string, name);
    await writeDrive({ out, seed: SEED + drivesWritten, platform: 'J7', vin, durationS: 25 + 5 * (drivesWritten % 3), faults: drivesWritten % 2 ? [{ code: '0xA001' }] : [] });
    await writeFile(`${out}.done`, '');
    drivesWritten++;
  };
  await mkdir(cfg.recordingsDir as string, { recursive: true });
  const phases: Record<string, number> = {};
  let kills = 0;
  try {
    await addDrive();
    const every = Math.max(1, Math.floor((KILLS * 0.7) / DRIVES));
    while (kills < KILLS) {
      let fresh = false;
      if (kills > 0 && kills % every === 0 && drivesWritten < DRIVES) {
        await addDrive();
        fresh = true;
      }
      const a = await AgentProcess.start(work, cfg);
      await a.waitFor((l) => l.msg === 'agent started', 60_000);
      // Every other life aims at one stage (the log line that opens it, plus a little); the rest kill at random.
      // A drive just added is parsed right after start: aim at its parse.
      const aim = fresh ? PARSE_AIM : (AIMS[kills % AIMS.length] as (typeof AIMS)[number]);
      if (aim.msg) await a.waitFor((l) => l.msg === aim.msg, 2500).catch(() => undefined);
      await new Promise((r) => setTimeout(r, aim.minMs + rng.next() * (aim.maxMs - aim.minMs)));
      const journal = await readFile(path.join(cfg.stateDir as string, 'journal.json'), 'utf8').then((x) => (JSON.parse(x) as { drives: DriveEntry[] }).drives, () => []);
      const last = a.last()?.msg;
      await a.kill('SIGKILL');
      for (const phase of phasesAt(journal, last)) phases[phase] = (phases[phase] ?? 0) + 1;
      kills++;
    }
    while (drivesWritten < DRIVES) await addDrive();
    // The last life: runs until every drive is complete.
    const a = await AgentProcess.start(work, cfg);
    const deadline = Date.now() + 180_000;
    let drives: DriveEntry[] = [];
    for (;;) {
      drives = await readFile(path.join(cfg.stateDir as string, 'journal.json'), 'utf8').then((s) => (JSON.parse(s) as { drives: DriveEntry[] }).drives, () => []);
      if (drives.length === DRIVES && drives.every((d) => d.state === 'complete' || d.state === 'quarantined')) break;
      if (Date.now() > deadline) throw new Error(`drives not complete after the last restart: ${JSON.stringify(drives.map((d) => [d.name, d.state]))}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    await a.kill('SIGTERM');

    let lost = 0;
    let duplicates = 0;
    let barrierErrors = 0;
    const problems: string[] = [];
    for (const d of drives) {
      if (d.state !== 'complete' || !d.batch_id) {
        problems.push(`${d.name}: ${d.state} ${d.reason ?? ''}`);
        continue;
      }
      const b = await t.hub.batches.get(d.batch_id);
      const ledger = await t.hub.batches.chunks(d.batch_id);
      const keys = new Set(ledger.map((c) => `${c.file_id}/${c.chunk_index}`));
      const expected = b?.chunks_expected ?? -1;
      lost += Math.max(0, expected - keys.size);
      duplicates += ledger.length - keys.size;
      if (expected !== d.chunks) problems.push(`${d.name}: hub expects ${expected} chunks, the agent packed ${d.chunks}`);
      const uploaded = (await t.hub.batches.events(d.batch_id)).filter((e) => e.state === 'uploaded').length;
      if (uploaded !== 1) {
        barrierErrors++;
        problems.push(`${d.name}: barrier fired ${uploaded} times`);
      }
    }
    const ok = problems.length === 0 && lost === 0 && duplicates === 0 && barrierErrors === 0;
    process.stdout.write(`${JSON.stringify({ seed: SEED, kills, phases, drives: drives.length, chunks: drives.reduce((n, d) => n + (d.chunks ?? 0), 0), wall_s: Math.round((Date.now() - started) / 1000), problems })}\n`);
    process.stdout.write(`kills=${kills} lost=${lost} duplicates=${duplicates} drives=${drives.filter((d) => d.state === 'complete').length}\n`);
    return ok ? 0 : 1;
  } finally {
    await t.stop();
    if (!process.env['ARGUS_KEEP']) await rm(work, { recursive: true, force: true });
    else process.stderr.write(`kept ${work}\n`);
  }
}

process.exitCode = await main();
