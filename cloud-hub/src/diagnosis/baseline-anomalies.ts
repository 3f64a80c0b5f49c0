/**
 * Anomalies measured against the healthy baseline, for any topic and field
 * the baseline knows — nothing here names a signal:
 *
 * - a field's level shifts (a step, or a drift over 30 buckets) by more than
 *   {@link MARGIN} × the largest healthy shift;
 * - a field grows restless (oscillation, noise) beyond {@link MARGIN} × the healthy activity;
 * - a field that always moves on healthy drives holds one value for
 *   {@link STUCK_MIN_S} s or {@link MARGIN} × its longest healthy constant stretch;
 * - a field whose healthy level is bounded leaves its envelope by more than the envelope's width;
 * - a topic's rate falls below half its lowest healthy rate and loses
 *   {@link RATE_MIN_DEFICIT_S} s or more of messages;
 * - a node logs a burst of ERROR lines no knowledge-base entry names and no healthy drive showed.
 *
 * One anomaly per topic (its strongest deviation named, the others in its
 * text). Pure; callers fold anomalies that a detected fault explains
 * (link-consequences.ts).
 */
import type { DriveFeatures, TopicFeatures } from '../gather/features.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import type { Anomaly } from './anomalies.js';
import type { FieldBaseline, PlatformBaseline } from './healthy-baseline.js';
import { fieldProfile, SHIFT_SCALES, stretches, type FieldProfile } from './signal-stats.js';

/** How far past the healthy extreme a statistic must go (× the healthy maximum). */
export const MARGIN = 3;
/** Shortest constant stretch (s) that counts as stuck. */
export const STUCK_MIN_S = 15;
/** Shortest stretch (s) outside the level envelope that counts. */
export const RANGE_MIN_S = 5;
/** A rate drop counts below this share of the lowest healthy rate… */
export const RATE_DROP = 0.5;
/** …when at least this many seconds' worth of messages are missing. */
export const RATE_MIN_DEFICIT_S = 5;
/** An ERROR burst: at least this many identical lines, at least one a minute. */
export const BURST_MIN_LINES = 5;

const s1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);
const g4 = (x: number): string => String(Number(x.toPrecision(4)));
/** Extra threshold above a healthy maximum of 0: a sliver of the field's envelope. */
const floor = (b: FieldBaseline): number => 0.02 * (b.hi - b.lo) + 1e-9;

/** One deviation of one field. */
interface Hit {
  field: string;
  what: 'stuck' | 'shift' | 'restless' | 'range';
  /** How far past its threshold (> 1). */
  ratio: number;
  start_s: number;
  end_s: number;
  text: string;
}

function fieldHits(field: string, p: FieldProfile, b: FieldBaseline, bucketS: number): Hit[] {
  const hits: Hit[] = [];
  const at = (i: number): number => p.t_s[Math.max(0, Math.min(p.t_s.length - 1, i))]!;
  const comparable = p.bucket_s <= 1.5 * bucketS; // finer statistics only at the baseline's resolution
  const run = p.flat[0];
  if (run && !b.constant) {
    const need = Math.max(STUCK_MIN_S, MARGIN * b.flat_s);
    const len = run.end_s - run.start_s;
    if (len >= need) hits.push({ field, what: 'stuck', ratio: len / need, start_s: run.start_s, end_s: run.end_s, text: `${field} held exactly ${g4(run.value)} for ${s1(len)} s from t=${s1(run.start_s)} s (healthy drives: at most ${s1(b.flat_s)} s)` });
  }
  for (const w of SHIFT_SCALES) {
    if (!comparable && w === SHIFT_SCALES[0]) continue;
    const need = MARGIN * (b.shift[String(w)] ?? Infinity) + floor(b);
    const over = stretches(p.shift[w], (x) => x > need);
    if (over.length === 0) continue;
    const peak = Math.max(...over.flatMap(([a, z]) => p.shift[w].slice(a, z + 1).map((x) => x ?? 0)));
    const [a] = over[0]!;
    const z = over[over.length - 1]![1];
    hits.push({ field, what: 'shift', ratio: peak / need, start_s: at(a + Math.floor(w / 2)), end_s: at(z + Math.ceil(w / 2)), text: `${field} shifted by ${g4(peak)} within ${w * p.bucket_s} s from t=${s1(at(a + Math.floor(w / 2)))} s (healthy drives: at most ${g4(b.shift[String(w)] ?? 0)})` });
    break;
  }
  if (comparable) {
    const need = MARGIN * b.activity + floor(b);
    const over = stretches(p.activity, (x) => x > need);
    if (over.length > 0) {
      const peak = Math.max(...p.activity.map((x) => x ?? 0));
      const a = over[0]![0];
      const z = over[over.length - 1]![1];
      hits.push({ field, what: 'restless', ratio: peak / need, start_s: at(a), end_s: at(z) + p.bucket_s, text: `${field} oscillates or jumps: activity ${g4(peak)} per ${p.bucket_s} s from t=${s1(at(a))} s to ${s1(at(z) + p.bucket_s)} s (healthy drives: at most ${g4(b.activity)})` });
    }
  }
  if (b.bounded) {
    const margin = Math.max(b.hi - b.lo, 0.05 * Math.max(Math.abs(b.lo), Math.abs(b.hi)), 1e-6);
    const out = stretches(p.level, (x) => x > b.hi + margin || x < b.lo - margin).filter(([a, z]) => (z - a + 1) * p.bucket_s >= RANGE_MIN_S);
    if (out.length > 0) {
      const vals = out.flatMap(([a, z]) => p.level.slice(a, z + 1).map((x) => x ?? 0));
      const worst = vals.reduce((m, x) => (Math.abs(x - (b.lo + b.hi) / 2) > Math.abs(m - (b.lo + b.hi) / 2) ? x : m), vals[0]!);
      const a = out[0]![0];
      const z = out[out.length - 1]![1];
      hits.push({ field, what: 'range', ratio: Math.abs(worst - (b.lo + b.hi) / 2) / ((b.hi - b.lo) / 2 + margin), start_s: at(a), end_s: at(z) + p.bucket_s, text: `${field} reached ${g4(worst)} from t=${s1(at(a))} s, outside its healthy range ${g4(b.lo)}…${g4(b.hi)}` });
    }
  }
  return hits;
}

function rateDrop(topic: string, t: TopicFeatures, base: PlatformBaseline['topics'][string]): Omit<Anomaly, 'kind' | 'confidence'> | null {
  if (t.min_rate_hz === null || base.rate_hz <= 0 || base.min_rate_ratio <= 0) return null;
  const lowest = base.min_rate_ratio * base.rate_hz;
  if (t.min_rate_hz >= RATE_DROP * lowest) return null;
  const deficit = (base.rate_hz * (t.last_s - t.first_s) - t.count) / base.rate_hz;
  if (deficit < Math.max(RATE_MIN_DEFICIT_S, MARGIN * base.deficit_s)) return null;
  const gaps = t.gaps.largest;
  return {
    name: `${topic} rate collapsed to ${s1(t.min_rate_hz)} Hz`,
    topic,
    t_start_s: gaps.length ? Math.min(...gaps.map((g) => g.start_s)) : t.first_s,
    t_end_s: gaps.length ? Math.max(...gaps.map((g) => g.start_s + g.duration_s)) : t.last_s,
    text: `${topic} rate fell to ${s1(t.min_rate_hz)} Hz (healthy ≥ ${s1(lowest)} Hz, nominal ${s1(base.rate_hz)} Hz); ${s1(deficit)} s worth of messages missing, ${t.gaps.count} gaps over ${s1(t.gaps.threshold_s * 1000)} ms`,
  };
}

/** Value and rate anomalies of a drive against its platform's healthy baseline. */
export function baselineAnomalies(f: DriveFeatures, base: PlatformBaseline, kb: KnowledgeBase): Anomaly[] {
  const out: Anomaly[] = [];
  for (const [topic, t] of Object.entries(f.topics)) {
    const tb = base.topics[topic];
    if (!tb) continue;
    const rate = rateDrop(topic, t, tb);
    if (rate) out.push({ kind: 'rate', ...rate, confidence: 0.3 });
    const series = f.series[topic];
    if (!series) continue;
    const hits: Hit[] = [];
    for (const field of Object.keys(series.fields)) {
      const fb = tb.fields[field];
      const p = fb && fieldProfile(series, field);
      if (fb && p) hits.push(...fieldHits(field, p, fb, base.bucket_s));
    }
    if (hits.length === 0) continue;
    hits.sort((a, b) => b.ratio - a.ratio);
    const top = hits[0]!;
    const fields = [...new Set(hits.filter((h) => h.what === top.what).map((h) => h.field))];
    const label = { stuck: 'stuck', shift: 'level shift', restless: 'oscillation', range: 'out of healthy range' }[top.what];
    out.push({
      kind: 'value',
      name: `${topic} ${fields.join(', ')}: ${label}`,
      topic,
      t_start_s: Math.min(...hits.map((h) => h.start_s)),
      t_end_s: Math.max(...hits.map((h) => h.end_s)),
      text: hits.slice(0, 4).map((h) => h.text).join('; '),
      confidence: 0.3,
    });
  }
  out.push(...errorBursts(f, base, kb));
  return out;
}

/** ERROR bursts from a node that no healthy drive showed and no KB log rule names. */
function errorBursts(f: DriveFeatures, base: PlatformBaseline, kb: KnowledgeBase): Anomaly[] {
  const logRules = kb.faults.flatMap((x) => x.signature).filter((r) => r.kind === 'log');
  const logTopic = Object.entries(f.topics).find(([, t]) => t.columns.includes('msg') && t.columns.includes('level'))?.[0] ?? logRules[0]?.topic ?? 'log';
  const out: Anomaly[] = [];
  for (const g of f.rosout.groups) {
    if (g.level < 40 || g.level >= 50 || g.count < BURST_MIN_LINES) continue; // FATAL lines are anomalies of their own (anomalies.ts)
    const perMin = (60 * (g.count - 1)) / Math.max(1e-9, g.last_s - g.first_s);
    const levels = f.rosout.by_node[g.node] ?? {};
    const errors = (levels['ERROR'] ?? 0) + (levels['FATAL'] ?? 0);
    if (perMin < 1 || errors <= MARGIN * (base.error_lines[g.node] ?? 0)) continue;
    const known = logRules.some((r) => r.kind === 'log' && (r.node === undefined || r.node === g.node) && (r.text === undefined || g.text.toLowerCase().includes(r.text.toLowerCase())));
    if (known) continue;
    out.push({
      kind: 'log',
      name: `ERROR burst from ${g.node}: ${g.text.slice(0, 80)}`,
      topic: logTopic,
      node: g.node,
      t_start_s: g.first_s,
      t_end_s: g.last_s,
      text: `[${g.node}] ${g.text} (ERROR, ${g.count}× from t=${s1(g.first_s)} to ${s1(g.last_s)} s, ${s1(perMin)}/min; healthy drives: at most ${base.error_lines[g.node] ?? 0} ERROR lines from ${g.node})`,
      confidence: 0.3,
    });
  }
  return out;
}
