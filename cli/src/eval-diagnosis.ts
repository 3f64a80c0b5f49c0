/**
 * `npm run eval:diagnosis`: the labelled scenario set (eval-diagnosis-scenarios.ts)
 * through the offline path (sim MCAP → native parse → gather → supervisor
 * with retrieval on the shipped KB), once with hybrid retrieval and once
 * with vector-only retrieval. Prints fault top-1 accuracy (root first),
 * cause accuracy, false positives on healthy drives and unknown-anomaly
 * detection for both. Last stdout line: JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, type DiagnosisReport } from '@argus/shared';
import { buildReport, type SupervisorPolicy } from '@argus/cloud-hub';
import { DEFAULT_FIRMWARE, randomVin, Rng, writeDrive, type Platform } from '@argus/sim';
import { gatherRecording, openOfflineKnowledge } from './diagnose-command.js';
import { catalogue, expectedCause, scenarios, type Scenario } from './eval-diagnosis-scenarios.js';

const POLICIES: Record<string, Partial<SupervisorPolicy>> = {
  hybrid: {},
  'vector-only': { fastPath: false, retrievalMode: 'vector', filters: false },
};

interface Tally { top1: [number, number]; cause: [number, number]; healthyFp: [number, number]; unknown: [number, number]; misses: string[] }
const tally = (): Tally => ({ top1: [0, 0], cause: [0, 0], healthyFp: [0, 0], unknown: [0, 0], misses: [] });
const pct = (x: [number, number]): number => (x[1] === 0 ? 0 : Math.round((1000 * x[0]) / x[1]) / 10);

function score(t: Tally, s: Scenario, r: DiagnosisReport, firmware: Record<string, string>, cat: ReturnType<typeof catalogue>): void {
  const top = r.findings[0]?.code ?? null;
  if (s.kind === 'healthy') {
    t.healthyFp[1]++;
    if (r.findings.length > 0) { t.healthyFp[0]++; t.misses.push(`${s.id}: false positive ${r.findings.map((f) => f.code ?? f.name).join(', ')}`); }
    return;
  }
  if (s.kind === 'unknown') {
    t.unknown[1]++;
    if (r.status === 'unknown') t.unknown[0]++;
    else t.misses.push(`${s.id}: status ${r.status} (${r.findings.map((f) => f.code ?? f.name).join(', ')})`);
    return;
  }
  t.top1[1]++;
  const allFound = s.faults.every((f) => r.findings.some((x) => x.code === f.code || x.consequences.includes(f.code)));
  if (top !== null && s.expectedTop.includes(top) && allFound) t.top1[0]++;
  else t.misses.push(`${s.id}: top ${top ?? 'none'} (${r.findings.map((f) => f.code ?? f.name).join(', ')})`);
  for (const f of s.faults) {
    const want = expectedCause(cat, f.code, s.platform, firmware);
    const got = r.findings.find((x) => x.code === f.code);
    // Absorbed as another finding's consequence: its cause is the root's, nothing to score.
    if (!got && r.findings.some((x) => x.consequences.includes(f.code))) continue;
    t.cause[1]++;
    if (got && got.cause_id === want) t.cause[0]++;
    else t.misses.push(`${s.id}: cause of ${f.code} ${got?.cause_id ?? 'none'}, expected ${want ?? 'none (unknown)'}`);
  }
}

const log = createLogger('warn', {}, (l) => process.stderr.write(l));
const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-eval-diag-'));
const k = await openOfflineKnowledge(process.env, log);
const cat = catalogue();
const tallies = Object.fromEntries(Object.keys(POLICIES).map((p) => [p, tally()])) as Record<string, Tally>;
const list = scenarios(DEFAULT_FIRMWARE as unknown as Record<Platform, Record<string, string>>);
const only = process.env['EVAL_LIMIT'] ? list.slice(0, Number(process.env['EVAL_LIMIT'])) : list;
const t0 = Date.now();
try {
  for (const [i, s] of only.entries()) {
    const file = path.join(dir, `s${i}.mcap`);
    const vin = randomVin(Rng.derive(s.seed, 'vin'), s.platform);
    const opts = { out: file, seed: s.seed, platform: s.platform, vin, faults: s.faults, durationS: 180, ...(s.firmware ? { firmware: s.firmware } : {}), ...(s.unknownAnomaly ? { unknownAnomaly: true } : {}) };
    const full = await writeDrive(opts);
    if (s.truncateShare) await writeDrive({ ...opts, truncateAt: Math.floor(full.bytes * s.truncateShare) });
    const { vehicle, features } = await gatherRecording(file, k.kb);
    await rm(file, { force: true });
    for (const [name, policy] of Object.entries(POLICIES)) {
      const r = await buildReport('00000000-0000-4000-8000-000000000000', vehicle, features, k.kb, { now: () => performance.now(), iso: new Date().toISOString() }, { retriever: k.knowledge.retriever, policy });
      score(tallies[name]!, s, r, vehicle.firmware, cat);
    }
    process.stderr.write(`\r${i + 1}/${only.length} scenarios`);
  }
  process.stderr.write('\n');
  const out: Record<string, unknown> = { scenarios: only.length, seconds: Math.round((Date.now() - t0) / 1000), embedder: k.knowledge.embedder.model };
  for (const [name, t] of Object.entries(tallies)) {
    const m = { fault_top1_pct: pct(t.top1), cause_accuracy_pct: pct(t.cause), healthy_false_positives: t.healthyFp[0], healthy_drives: t.healthyFp[1], unknown_detection_pct: pct(t.unknown), n: { faulty: t.top1[1], causes: t.cause[1], unknown: t.unknown[1] } };
    out[name] = m;
    process.stdout.write(`${name.padEnd(12)} fault top-1 ${m.fault_top1_pct}%  cause ${m.cause_accuracy_pct}%  healthy FP ${m.healthy_false_positives}/${m.healthy_drives}  unknown ${m.unknown_detection_pct}%\n`);
    for (const miss of t.misses.slice(0, 25)) process.stdout.write(`  miss: ${miss}\n`);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await k.close();
  await rm(dir, { recursive: true, force: true });
}
