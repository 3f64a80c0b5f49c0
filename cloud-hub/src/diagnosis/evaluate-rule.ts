/**
 * Evaluation of one signature rule on a drive's features: did it match its
 * thresholds, how strongly, when, and what evidence shows it.
 */
import type { Evidence } from '@argus/shared';
import type { DriveFeatures, Interval, WatchResult } from '../gather/features.js';
import { describePredicate, watchForRule, type WatchSpec } from '../gather/watch-spec.js';
import type { SignatureRule } from '../kb/knowledge-base.js';

/** Outcome of one rule. */
export interface RuleOutcome {
  rule: SignatureRule;
  watchId: string;
  /** False when the drive holds no data for the rule (topic absent or not gathered). */
  evaluable: boolean;
  matched: boolean;
  /** How far past its threshold (1 = just met); 0 when not matched. */
  strength: number;
  /** When the matching behaviour started and ended (drive seconds). */
  t_start_s?: number;
  t_end_s?: number;
  /** Matching intervals (for time-order checks). */
  intervals: Interval[];
  /** One-line description of what was observed. */
  fact: string;
  evidence: Evidence[];
}

const s1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);
const fmtT = (a: number, b: number): string => `t=${s1(a)}–${s1(b)} s`;

function base(rule: SignatureRule, w: WatchSpec): RuleOutcome {
  return { rule, watchId: w.id, evaluable: false, matched: false, strength: 0, intervals: [], fact: '', evidence: [] };
}

/** Evaluates `rule` on `features`. */
export function evaluateRule(rule: SignatureRule, features: DriveFeatures): RuleOutcome {
  const spec = watchForRule(rule);
  const out = base(rule, spec);
  const w = features.watches[spec.id];
  if (!w) {
    out.fact = `not gathered (watch ${spec.id} missing)`;
    return out;
  }
  if (w.sample_count === 0 && rule.kind !== 'log' && rule.kind !== 'status') {
    out.fact = `topic ${rule.topic} absent from the drive`;
    return out;
  }
  out.evaluable = true;
  out.intervals = w.intervals;
  switch (spec.kind) {
    case 'value':
    case 'rate':
      return durationOrCount(out, rule, spec, w, features);
    case 'gap': {
      const need = rule.min_count ?? 1;
      const longest = w.intervals.reduce((m, iv) => Math.max(m, iv.end_s - iv.start_s), 0);
      out.matched = w.match_count >= need;
      out.strength = out.matched ? w.match_count / need : 0;
      out.fact = `${w.match_count} gap(s) ≥ ${spec.min_gap_s * 1000} ms on ${rule.topic} (need ${need}); longest ${s1(longest)} s`;
      spanFromIntervals(out, w.intervals);
      break;
    }
    case 'rise': {
      const need = rule.kind === 'increasing' ? rule.min_increase : rule.kind === 'trend_up' ? rule.min_rise : Infinity;
      const r = w.rise;
      out.matched = !!r && r.value >= need;
      out.strength = out.matched && r ? r.value / need : 0;
      out.fact = r
        ? `${spec.field} on ${rule.topic} rose by ${s1(r.value)} (from ${s1(r.from_value)} to ${s1(r.to_value)}, ${fmtT(r.from_s, r.to_s)}; need ${need})`
        : `${spec.field} on ${rule.topic} never rose`;
      if (r) {
        out.t_start_s = r.from_s;
        out.t_end_s = r.to_s;
      }
      break;
    }
    case 'status':
    case 'log': {
      const need = rule.min_count ?? 1;
      out.matched = w.match_count >= need && (rule.min_duration_s === undefined || w.longest_s >= rule.min_duration_s);
      out.strength = out.matched ? w.match_count / need : 0;
      const what = spec.kind === 'status' ? `status ${spec.name} ${rule.kind === 'status' ? rule.level : ''} "${spec.message ?? ''}"` : `log ${spec.node ?? '*'} "${spec.text ?? ''}"`;
      out.fact = `${what}: ${w.match_count} report(s)` + (w.match_count > 0 ? `, longest run ${s1(w.longest_s)} s` : '');
      spanFromIntervals(out, w.intervals);
      for (const l of (w.lines ?? []).slice(0, 3)) {
        out.evidence.push({ kind: spec.kind, topic: rule.topic, t_start_s: l.t_s, text: `[${l.node}] ${l.text}` });
      }
      if (out.matched && w.match_count > 3 && out.t_end_s !== undefined) {
        out.evidence.push({ kind: spec.kind, topic: rule.topic, t_start_s: out.t_start_s, t_end_s: out.t_end_s, text: `${what}: ${w.match_count} times in total` });
      }
      return out;
    }
  }
  if (out.matched) out.evidence.push(signal(rule.topic, out));
  return out;
}

function durationOrCount(out: RuleOutcome, rule: SignatureRule, spec: Extract<WatchSpec, { kind: 'value' | 'rate' }>, w: WatchResult, f: DriveFeatures): RuleOutcome {
  const what = spec.kind === 'rate' ? `rate of ${rule.topic} < ${spec.below_hz} Hz` : `${rule.topic} ${describePredicate(spec.predicate)}` + spec.while.map((c) => ` while ${c.topic} ${describePredicate(c.predicate)}`).join('');
  if (rule.min_duration_s !== undefined) {
    const need = rule.min_duration_s;
    const qualifying = w.intervals.filter((iv) => iv.end_s - iv.start_s >= need);
    out.matched = w.longest_s >= need && w.match_count > 0;
    out.strength = out.matched ? (need > 0 ? w.longest_s / need : 1) : 0;
    out.fact = `${what}: longest ${s1(w.longest_s)} s (need ${need} s), total ${s1(w.total_s)} s`;
    spanFromIntervals(out, qualifying.length > 0 ? qualifying : w.intervals);
  } else {
    const need = rule.min_count ?? 1;
    out.matched = w.match_count >= need;
    out.strength = out.matched ? w.match_count / need : 0;
    out.fact = `${what}: ${Math.round(w.match_count)} sample(s) (need ${need})`;
    spanFromIntervals(out, w.intervals);
  }
  if (spec.kind === 'rate' && w.min_rate_hz !== undefined) out.fact += `; lowest ${s1(w.min_rate_hz)} Hz`;
  if (spec.kind === 'value') {
    const p = spec.predicate;
    if (p.op !== 'diff_above') {
      const field = f.topics[rule.topic]?.fields[p.field];
      if (field) out.fact += `; ${p.field} range ${round(field.min)}…${round(field.max)}`;
    }
  }
  return out;
}

function round(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function spanFromIntervals(out: RuleOutcome, list: readonly Interval[]): void {
  const first = list[0];
  const last = list[list.length - 1];
  if (first && last) {
    out.t_start_s = first.start_s;
    out.t_end_s = last.end_s;
  }
}

function signal(topic: string, o: RuleOutcome): Evidence {
  const e: Evidence = { kind: 'signal', topic, text: o.fact };
  if (o.t_start_s !== undefined) e.t_start_s = o.t_start_s;
  if (o.t_end_s !== undefined) e.t_end_s = o.t_end_s;
  return e;
}
