/**
 * Strong anomalies that no knowledge-base entry describes: a topic that goes
 * silent for a long time, a diagnostics ERROR/STALE that persists, a FATAL
 * log line — and, given the platform's healthy baseline, any field or topic
 * that behaves unlike every healthy drive (baseline-anomalies.ts).
 * Deliberately conservative: healthy noise (short gaps, single WARNs,
 * INFO/WARN chatter) never qualifies.
 */
import { statusMatches } from '../gather/event-accumulators.js';
import type { DriveFeatures } from '../gather/features.js';
import { watchForRule } from '../gather/watch-spec.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { baselineAnomalies } from './baseline-anomalies.js';
import type { PlatformBaseline } from './healthy-baseline.js';

/** One unexplained anomaly. */
export interface Anomaly {
  /** silence and rate: timing of a topic; value: a field's behaviour; status: diagnostics; log: log lines. */
  kind: 'silence' | 'rate' | 'value' | 'status' | 'log';
  name: string;
  topic: string;
  /** The node of a log anomaly (others: unset). */
  node?: string;
  t_start_s: number;
  t_end_s: number;
  text: string;
  confidence: number;
}

/** A silence counts when at least this long (s) and this many median periods. */
export const SILENCE_MIN_S = 2;
export const SILENCE_MIN_PERIODS = 20;
/** A diagnostics ERROR/STALE counts when reported continuously this long (s). */
export const STATUS_MIN_RUN_S = 10;

const s1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

/** Finds the strong anomalies of a drive not described by `kb`; with `baseline`, also the deviations from healthy drives. */
export function detectAnomalies(f: DriveFeatures, kb: KnowledgeBase, baseline?: PlatformBaseline): Anomaly[] {
  const out: Anomaly[] = [];
  for (const [topic, t] of Object.entries(f.topics)) {
    if (t.median_period_s === null || (t.columns.includes('msg') && t.columns.includes('level'))) continue;
    const min = Math.max(SILENCE_MIN_S, SILENCE_MIN_PERIODS * t.median_period_s);
    const gaps = t.gaps.largest.filter((g) => g.duration_s >= min);
    const trailing = f.drive.duration_s - t.last_s;
    if (trailing >= Math.max(min, 5)) gaps.push({ start_s: t.last_s, duration_s: trailing });
    const worst = gaps.sort((a, b) => b.duration_s - a.duration_s)[0];
    if (!worst) continue;
    const ends = worst.start_s + worst.duration_s >= f.drive.duration_s - 1e-6;
    out.push({
      kind: 'silence',
      name: `${topic} silent for ${s1(worst.duration_s)} s`,
      topic,
      t_start_s: worst.start_s,
      t_end_s: worst.start_s + worst.duration_s,
      text: `${topic} (normally every ${s1(t.median_period_s * 1000)} ms) published nothing for ${s1(worst.duration_s)} s from t=${s1(worst.start_s)} s${ends ? ' to the end of the drive' : ''}; ${gaps.length} such silence(s)`,
      confidence: 0.3,
    });
  }
  const statusRules = kb.faults.flatMap((x) => x.signature.map(watchForRule)).filter((w) => w.kind === 'status');
  for (const d of f.diagnostics) {
    if (d.level < 2 || d.longest_run_s < STATUS_MIN_RUN_S) continue;
    if (statusRules.some((w) => w.kind === 'status' && statusMatches({ ...w, min_level: 0 }, d.name, d.level, d.message, d.code))) continue;
    out.push({
      kind: 'status',
      name: `${d.name} reports ${d.level === 3 ? 'STALE' : 'ERROR'}: ${d.message}${d.code ? ` [${d.code}]` : ''}`,
      topic: d.topic,
      t_start_s: d.first_s,
      t_end_s: d.last_s,
      text: `diagnostics ${d.name} level ${d.level} "${d.message}" reported ${d.count} times, longest run ${s1(d.longest_run_s)} s; no knowledge-base entry describes it`,
      confidence: 0.35,
    });
  }
  const logRules = kb.faults.flatMap((x) => x.signature).filter((r) => r.kind === 'log');
  const logTopic = Object.entries(f.topics).find(([, t]) => t.columns.includes('msg') && t.columns.includes('level'))?.[0] ?? logRules[0]?.topic ?? 'log';
  for (const g of f.rosout.groups) {
    if (g.level < 50) continue;
    const known = logRules.some((r) => r.kind === 'log' && (r.node === undefined || r.node === g.node) && (r.text === undefined || g.text.toLowerCase().includes(r.text.toLowerCase())));
    if (known) continue;
    out.push({
      kind: 'log',
      name: `FATAL from ${g.node}: ${g.text.slice(0, 80)}`,
      topic: logTopic,
      node: g.node,
      t_start_s: g.first_s,
      t_end_s: g.last_s,
      text: `[${g.node}] ${g.text} (FATAL, ${g.count}×)`,
      confidence: 0.25,
    });
  }
  if (!baseline) return out;
  // A silent topic also shows as a rate drop: keep the silence.
  const silent = new Set(out.filter((a) => a.kind === 'silence').map((a) => a.topic));
  return [...out, ...baselineAnomalies(f, baseline, kb).filter((a) => !(a.kind === 'rate' && silent.has(a.topic)))];
}
