/**
 * Watches: what the gatherer tracks as time intervals, derived from the
 * knowledge base's signature rules so that nothing about a vehicle's topics,
 * fields or thresholds is hard-wired. A watch id is a canonical text of the
 * watch itself, so the same rule always maps to the same id.
 */
import type { KnowledgeBase, Scalar, SignatureRule, WhileCondition } from '../kb/knowledge-base.js';
import { LOG_LEVELS } from '../kb/knowledge-base.js';
import { cellNumber, type Cell } from './csv.js';

/** A test on one row of a topic. */
export type Predicate =
  | { op: 'above'; field: string; value: number }
  | { op: 'below'; field: string; value: number }
  | { op: 'equals'; field: string; value: Scalar }
  | { op: 'abs_at_least'; field: string; value: number }
  | { op: 'diff_above'; fields: [string, string]; value: number };

/** A predicate on one topic. */
export interface Condition {
  topic: string;
  predicate: Predicate;
}

/** Something the gatherer tracks; see each kind. */
export type WatchSpec =
  /** Intervals where `predicate` holds on `topic` and every `while` condition holds too. */
  | { kind: 'value'; id: string; topic: string; predicate: Predicate; while: Condition[] }
  /** Silences of `topic` of at least `min_gap_s`. */
  | { kind: 'gap'; id: string; topic: string; min_gap_s: number }
  /** Intervals where the rate over `window_s` windows is below `below_hz`. */
  | { kind: 'rate'; id: string; topic: string; below_hz: number; window_s: number }
  /** Largest rise of `field` from a low to a later high; `smooth` takes a 5-sample median first. */
  | { kind: 'rise'; id: string; topic: string; field: string; smooth: boolean }
  /** Log lines at `min_level` (numeric) or above, from `node`, containing `text`. */
  | { kind: 'log'; id: string; topic: string; min_level: number; node?: string; text?: string }
  /** Diagnostics statuses named `name` at `min_level` or above, with `message` and `code`. */
  | { kind: 'status'; id: string; topic: string; name: string; min_level: number; message?: string; code?: string };

/** Numeric diagnostics level of a level name. */
export const DIAG_LEVEL: Record<string, number> = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 };

/** Acceleration of gravity, m/s² per g (ISO 80000-3). */
export const G0 = 9.80665;
/** A value counts as "at the limit" within this fraction of it. */
export const AT_LIMIT_TOLERANCE = 0.02;
/** Default window for rate watches (seconds). */
export const RATE_WINDOW_S = 2;

/** Canonical text of a predicate, e.g. `cpu_temp_c>95`. */
export function predicateKey(p: Predicate): string {
  switch (p.op) {
    case 'above': return `${p.field}>${p.value}`;
    case 'below': return `${p.field}<${p.value}`;
    case 'equals': return `${p.field}==${JSON.stringify(p.value)}`;
    case 'abs_at_least': return `|${p.field}|>=${p.value}`;
    case 'diff_above': return `|${p.fields[0]}-${p.fields[1]}|>${p.value}`;
  }
}

/** Canonical text of a condition. */
export function conditionKey(c: Condition): string {
  return `${c.topic}:${predicateKey(c.predicate)}`;
}

/** Fields a predicate reads. */
export function predicateFields(p: Predicate): string[] {
  return p.op === 'diff_above' ? [...p.fields] : [p.field];
}

function whileCondition(w: WhileCondition): Condition {
  if (w.above !== undefined) return { topic: w.topic, predicate: { op: 'above', field: w.field, value: w.above } };
  if (w.below !== undefined) return { topic: w.topic, predicate: { op: 'below', field: w.field, value: w.below } };
  return { topic: w.topic, predicate: { op: 'equals', field: w.field, value: w.equals as Scalar } };
}

function valueWatch(topic: string, predicate: Predicate, w: WhileCondition | undefined): WatchSpec {
  const whiles = w ? [whileCondition(w)] : [];
  const id = ['value', conditionKey({ topic, predicate }), ...whiles.map((c) => `while ${conditionKey(c)}`)].join(' ');
  return { kind: 'value', id, topic, predicate, while: whiles };
}

/** The watch that tracks one signature rule. */
export function watchForRule(rule: SignatureRule): WatchSpec {
  const t = rule.topic;
  switch (rule.kind) {
    case 'gap':
      return { kind: 'gap', id: `gap ${t} >=${rule.min_gap_ms}ms`, topic: t, min_gap_s: rule.min_gap_ms / 1000 };
    case 'rate_below':
      return { kind: 'rate', id: `rate ${t} <${rule.hz}Hz/${RATE_WINDOW_S}s`, topic: t, below_hz: rule.hz, window_s: RATE_WINDOW_S };
    case 'value_above':
      return valueWatch(t, { op: 'above', field: rule.field, value: rule.value }, rule.while);
    case 'value_below':
      return valueWatch(t, { op: 'below', field: rule.field, value: rule.value }, rule.while);
    case 'value_equals':
      return valueWatch(t, { op: 'equals', field: rule.field, value: rule.value }, rule.while);
    case 'value_at_limit': {
      const limit = rule.limit_g * (rule.unit_per_g ?? G0) * (1 - AT_LIMIT_TOLERANCE);
      return valueWatch(t, { op: 'abs_at_least', field: rule.field, value: Number(limit.toPrecision(6)) }, rule.while);
    }
    case 'difference_above':
      return valueWatch(t, { op: 'diff_above', fields: rule.fields, value: rule.value }, rule.while);
    case 'increasing':
      return { kind: 'rise', id: `rise ${t}:${rule.field}`, topic: t, field: rule.field, smooth: false };
    case 'trend_up':
      return { kind: 'rise', id: `rise ${t}:${rule.field} smoothed`, topic: t, field: rule.field, smooth: true };
    case 'log': {
      const w: WatchSpec = { kind: 'log', id: '', topic: t, min_level: LOG_LEVELS[rule.level] };
      if (rule.node !== undefined) w.node = rule.node;
      if (rule.text !== undefined) w.text = rule.text;
      w.id = `log ${t} >=${rule.level} node=${rule.node ?? '*'} text=${JSON.stringify(rule.text ?? '')}`;
      return w;
    }
    case 'status': {
      const w: WatchSpec = { kind: 'status', id: '', topic: t, name: rule.name, min_level: DIAG_LEVEL[rule.level] ?? 0 };
      if (rule.message !== undefined) w.message = rule.message;
      if (rule.code !== undefined) w.code = rule.code;
      w.id = `status ${t} name=${rule.name} >=${rule.level} message=${JSON.stringify(rule.message ?? '')} code=${rule.code ?? '*'}`;
      return w;
    }
  }
}

/** Every distinct watch needed by the signatures of a knowledge base. */
export function watchesFromKb(kb: KnowledgeBase): WatchSpec[] {
  const byId = new Map<string, WatchSpec>();
  for (const fault of kb.faults) {
    for (const rule of fault.signature) {
      const w = watchForRule(rule);
      if (!byId.has(w.id)) byId.set(w.id, w);
    }
  }
  return [...byId.values()];
}

/** Whether a cell equals a KB scalar (booleans also match 1/0 and their text). */
export function cellEquals(v: Cell, want: Scalar): boolean {
  if (v === null) return false;
  if (typeof want === 'boolean') {
    if (typeof v === 'boolean') return v === want;
    if (typeof v === 'number') return v === (want ? 1 : 0);
    return v.toLowerCase() === String(want);
  }
  if (typeof want === 'number') {
    const n = cellNumber(v);
    return Math.abs(n - want) <= 1e-9 * Math.max(1, Math.abs(want));
  }
  return String(v) === want;
}

/** Evaluates a predicate on a row, given a getter of its cells by field name. */
export function evalPredicate(p: Predicate, get: (field: string) => Cell): boolean {
  switch (p.op) {
    case 'above': return cellNumber(get(p.field)) > p.value;
    case 'below': return cellNumber(get(p.field)) < p.value;
    case 'equals': return cellEquals(get(p.field), p.value);
    case 'abs_at_least': return Math.abs(cellNumber(get(p.field))) >= p.value;
    case 'diff_above': return Math.abs(cellNumber(get(p.fields[0])) - cellNumber(get(p.fields[1]))) > p.value;
  }
}

/** A short human description of a predicate, e.g. `cpu_temp_c > 95`. */
export function describePredicate(p: Predicate): string {
  switch (p.op) {
    case 'above': return `${p.field} > ${p.value}`;
    case 'below': return `${p.field} < ${p.value}`;
    case 'equals': return `${p.field} = ${JSON.stringify(p.value)}`;
    case 'abs_at_least': return `|${p.field}| ≥ ${p.value}`;
    case 'diff_above': return `|${p.fields[0]} − ${p.fields[1]}| > ${p.value}`;
  }
}
