// npm run test:crash — uploads several simulated drives to a real hub while
// killing the agent process with SIGKILL at ≥ 50 instants aimed at every stage
// (parse, outbox, upload, ack), restarting it each time; then audits the hub:
// every drive under exactly one batch, each batch's ledger = its manifest's
// chunks, one object per chunk id in the store, one barrier per batch
// (crash-audit.ts), and checks that every stage was killed at least once.
// Last line: `kills=N lost=0 duplicates=0 drives=M`; exit 1 on any failure.
// Options: --kills N --drives M --seed S (default seed fixed, so CI runs repeat).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { vehicleToken } from '@argus/shared';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import type { AgentConfigInput, DriveEntry } from '@argus/edge-agent';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { AgentProcess } from './agent-process.js';
import { auditExactlyOnce, type HubEvidence } from './crash-audit.js';
import { REQUIRED_STAGES, stagesAt } from './kill-stage.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const KILLS = arg('kills', 50);
const DRIVES = arg('drives', 6);
const SEED = arg('seed', 4242);
const rng = Rng.derive(SEED, 'crash');

/** A life aims at a stage: wait for the log line that opens it, then kill within [minMs, maxMs]; msg null = at random. */
type Aim = { msg: string | null; minMs: number; maxMs: number; ack?: true };
const AIMS: Aim[] = [
  { msg: null, minMs: 30, maxMs: 1500 },
  { msg: 'recording packed', minMs: 0, maxMs: 15 },
  { msg: 'upload started', minMs: 0, maxMs: 400 },
  { msg: null, minMs: 30, maxMs: 1500 },
  // ack: once the hub holds every chunk of the batch being uploaded (barrier fired), kill at once —
  // the agent is taking the last acknowledgements in, or confirming the barrier.
  { msg: 'upload started', minMs: 0, maxMs: 10, ack: true },
  { msg: 'all chunks acknowledged by the hub', minMs: 0, maxMs: 30 },
];
// A 25–35 s drive packs in ≈ 60–100 ms (bench:edge pace), so a kill aimed later than that finds it packed.
const PARSE_AIM: Aim = { msg: 'drive detected', minMs: 0, maxMs: 40 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const readDrives = (stateDir: string) => readFile(path.join(stateDir, 'journal.json'), 'utf8').then((x) => (JSON.parse(x) as { drives: DriveEntry[] }).drives, () => [] as DriveEntry[]);

/** True once the hub holds every chunk of the batch (its barrier fired). */
async function hubHasAll(t: TestHub, batchId: string): Promise<boolean> {
  const state = (await t.hub.batches.get(batchId))?.state;
  return state !== undefined && state !== 'pending' && state !== 'uploading';
}

/** Everything the hub holds, for the audit. */
async function hubEvidence(t: TestHub, vin: string): Promise<HubEvidence> {
  const batches = await t.hub.batches.list({ vin, limit: 10_000 });
  return {
    batches: await Promise.all(batches.map(async (b) => ({
      batch_id: b.batch_id, manifest: b.manifest,
      uploadedEvents: (await t.hub.batches.events(b.batch_id)).filter((e) => e.state === 'uploaded').length,
      ledger: await t.hub.batches.chunks(b.batch_id),
    }))),
    objectKeys: await t.hub.objects.list('batches/'),
  };
}

async function main(): Promise<number> {
  const t = await startTestHub();
  const work = await mkdtemp(path.join(os.tmpdir(), 'argus-crash-'));
  const vin = randomVin(Rng.derive(SEED, 'vin'), 'J7');
  const cfg: AgentConfigInput = {
    vin, token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, httpUrl: t.hub.httpUrl,
    recordingsDir: path.join(work, 'recordings'), stateDir: path.join(work, 'state'), detect: 'marker',
    scanIntervalMs: 200, chunkBytes: 16 * 1024, inflight: 4, bandwidthBytesPerS: 50_000, ackTimeoutMs: 5000, reconnectMinMs: 100, reconnectMaxMs: 1000, logLevel: 'debug', nice: 0,
  };
  const stateDir = cfg.stateDir as string;
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
  const stages: Record<string, number> = {};
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
      // A drive just added is parsed right after start: aim at its parse. Otherwise cycle through the aims.
      const aim = fresh ? PARSE_AIM : (AIMS[kills % AIMS.length] as Aim);
      let seen: { msg: string; [k: string]: unknown } | undefined;
      if (aim.msg) await a.waitFor((l) => l.msg === aim.msg && !!(seen = l), 2500).catch(() => undefined);
      if (aim.ack && seen) {
        const batchId = String(seen['batch_id']);
        const end = Date.now() + 20_000;
        while (!(await hubHasAll(t, batchId)) && Date.now() < end) await sleep(5);
      }
      await sleep(aim.minMs + rng.next() * (aim.maxMs - aim.minMs));
      const last = a.last()?.msg;
      await a.kill('SIGKILL');
      // Stages from the journal as the kill left it, and the hub at that moment.
      const atDeath = await readDrives(stateDir);
      const complete = new Set<string>();
      for (const d of atDeath) if (d.state === 'uploading' && d.batch_id && (await hubHasAll(t, d.batch_id))) complete.add(d.batch_id);
      for (const s of stagesAt(atDeath, last, complete)) stages[s] = (stages[s] ?? 0) + 1;
      kills++;
    }
    while (drivesWritten < DRIVES) await addDrive();
    // The last life: runs until every drive is complete.
    const a = await AgentProcess.start(work, cfg);
    const deadline = Date.now() + 180_000;
    let drives: DriveEntry[] = [];
    for (;;) {
      drives = await readDrives(stateDir);
      if (drives.length === DRIVES && drives.every((d) => d.state === 'complete' || d.state === 'quarantined')) break;
      if (Date.now() > deadline) throw new Error(`drives not complete after the last restart: ${JSON.stringify(drives.map((d) => [d.name, d.state]))}`);
      await sleep(300);
    }
    await a.kill('SIGTERM');

    const done = drives.filter((d) => d.state === 'complete');
    const audit = auditExactlyOnce(done.map((d) => ({ name: d.name, bytes: d.size })), await hubEvidence(t, vin));
    const problems = [...audit.problems];
    for (const d of drives.filter((x) => x.state !== 'complete')) problems.push(`${d.name}: ${d.state} ${d.reason ?? ''}`);
    for (const d of done) {
      const b = await t.hub.batches.get(d.batch_id as string);
      if (b?.chunks_expected !== d.chunks) problems.push(`${d.name}: hub expects ${b?.chunks_expected} chunks, the agent packed ${d.chunks}`);
    }
    const unkilled = REQUIRED_STAGES.filter((s) => !stages[s]);
    if (unkilled.length) problems.push(`no kill during ${unkilled.join(', ')} (kills by stage: ${JSON.stringify(stages)})`);
    const ok = problems.length === 0 && audit.lost === 0 && audit.duplicates === 0;
    process.stdout.write(`${JSON.stringify({ seed: SEED, kills, stages, drives: drives.length, chunks: done.reduce((n, d) => n + (d.chunks ?? 0), 0), wall_s: Math.round((Date.now() - started) / 1000), problems: problems.slice(0, 50) })}\n`);
    process.stdout.write(`kills=${kills} lost=${audit.lost} duplicates=${audit.duplicates} drives=${done.length}\n`);
    return ok ? 0 : 1;
  } finally {
    await t.stop();
    if (!process.env['ARGUS_KEEP']) await rm(work, { recursive: true, force: true });
    else process.stderr.write(`kept ${work}\n`);
  }
}

process.exitCode = await main();
