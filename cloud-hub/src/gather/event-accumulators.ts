/**
 * Accumulators for event topics: diagnostics arrays (diagnostic_msgs/
 * DiagnosticArray, whose `status` column is a JSON array) and log lines
 * (rcl_interfaces/Log). Both are bounded; both also serve the `status` and
 * `log` watches.
 */
import type { DiagnosticEntry, Interval, LogGroup, LogLine, RosoutFeatures } from './features.js';
import { round6 } from './intervals.js';
import type { WatchSpec } from './watch-spec.js';

/** Reports of one status further apart than this start a new run (s). */
export const STATUS_RUN_GAP_S = 2.5;
const MAX_DIAG_ENTRIES = 1000;
const MAX_LOG_GROUPS = 500;
const MAX_LOG_SAMPLES = 200;
const MAX_NODES = 500;
const MAX_WATCH_LINES = 10;
const MAX_RUNS = 1000;
const LOG_NAMES: Record<number, string> = { 10: 'DEBUG', 20: 'INFO', 30: 'WARN', 40: 'ERROR', 50: 'FATAL' };
const DIAG_NAMES: Record<string, number> = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 };

/** Name of a log level number (`40` → `ERROR`). */
export function logLevelName(level: number): string {
  return LOG_NAMES[level] ?? String(level);
}

/** Groups event times into runs: a pause longer than `gapS` starts a new run. */
export class RunTracker {
  readonly runs: Interval[] = [];
  count = 0;
  longestS = 0;
  truncated = false;
  private start = NaN;
  private last = NaN;
  private n = 0;
  constructor(private readonly gapS: number) {}

  /** Records one event at time `t` (non-decreasing per tracker). */
  hit(t: number): void {
    this.count++;
    if (!Number.isNaN(this.start) && t - this.last > this.gapS) this.close();
    if (Number.isNaN(this.start)) {
      this.start = t;
      this.last = t;
    } else if (t > this.last) {
      this.last = t;
    }
    this.n++;
  }

  /** Closes the open run. */
  finish(): void {
    if (!Number.isNaN(this.start)) this.close();
  }

  private close(): void {
    const d = this.last - this.start;
    if (d > this.longestS) this.longestS = d;
    if (this.runs.length < MAX_RUNS) this.runs.push({ start_s: this.start, end_s: this.last, count: this.n });
    else this.truncated = true;
    this.start = NaN;
    this.n = 0;
  }
}

/** Numeric diagnostics level from a JSON value (number, digit text, byte char or name). */
export function diagLevel(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    if (v.length === 1 && v.charCodeAt(0) < 10) return v.charCodeAt(0);
    return DIAG_NAMES[v.toUpperCase()] ?? -1;
  }
  return -1;
}

interface StatusWatchState {
  spec: Extract<WatchSpec, { kind: 'status' }>;
  runs: RunTracker;
  lines: LogLine[];
}
interface DiagState {
  entry: Omit<DiagnosticEntry, 'longest_run_s'>;
  runs: RunTracker;
}

/** Accumulates diagnostics statuses per (topic, name, level, message, code). */
export class DiagnosticsAccumulator {
  private readonly entries = new Map<string, DiagState>();
  private readonly watches: StatusWatchState[];
  dropped = 0;
  badRows = 0;

  constructor(specs: readonly WatchSpec[]) {
    this.watches = specs.flatMap((spec) => (spec.kind === 'status' ? [{ spec, runs: new RunTracker(STATUS_RUN_GAP_S), lines: [] }] : []));
  }

  /** Adds one DiagnosticArray row: `statusJson` is its `status` column. */
  addRow(topic: string, t: number, statusJson: string): void {
    let list: unknown;
    try {
      list = JSON.parse(statusJson);
    } catch {
      this.badRows++;
      return;
    }
    if (!Array.isArray(list)) {
      this.badRows++;
      return;
    }
    const hitWatches = new Set<StatusWatchState>();
    for (const s of list) {
      if (typeof s !== 'object' || s === null) continue;
      const o = s as Record<string, unknown>;
      const name = String(o.name ?? '');
      const level = diagLevel(o.level);
      const message = String(o.message ?? '');
      const values = Array.isArray(o.values) ? (o.values as Record<string, unknown>[]) : [];
      const codeKv = values.find((kv) => kv && kv.key === 'code');
      const code = codeKv && codeKv.value !== undefined ? String(codeKv.value) : null;
      const key = `${topic}\u0000${name}\u0000${level}\u0000${message}\u0000${code ?? ''}`;
      let st = this.entries.get(key);
      if (!st) {
        if (this.entries.size >= MAX_DIAG_ENTRIES) {
          this.dropped++;
        } else {
          st = {
            entry: { topic, name, level, message, code, hardware_id: String(o.hardware_id ?? ''), count: 0, first_s: t, last_s: t },
            runs: new RunTracker(STATUS_RUN_GAP_S),
          };
          this.entries.set(key, st);
        }
      }
      if (st) {
        st.entry.count++;
        st.entry.last_s = Math.max(st.entry.last_s, t);
        st.runs.hit(t);
      }
      for (const w of this.watches) {
        if (w.spec.topic !== topic || hitWatches.has(w) || !statusMatches(w.spec, name, level, message, code)) continue;
        hitWatches.add(w);
        w.runs.hit(t);
        if (w.lines.length < MAX_WATCH_LINES) w.lines.push({ t_s: t, level, node: name, text: code ? `${message} [${code}]` : message });
      }
    }
  }

  /** Entries with times shifted by `dt`, most severe then most frequent first. */
  entriesResult(dt: number): DiagnosticEntry[] {
    return [...this.entries.values()]
      .map(({ entry, runs }) => {
        runs.finish();
        return { ...entry, first_s: round6(entry.first_s + dt), last_s: round6(entry.last_s + dt), longest_run_s: round6(runs.longestS) };
      })
      .sort((a, b) => b.level - a.level || b.count - a.count || a.first_s - b.first_s);
  }

  /** State of each status watch, by id (times unshifted). */
  watchStates(): Map<string, { runs: RunTracker; lines: LogLine[] }> {
    return new Map(this.watches.map((w) => (w.runs.finish(), [w.spec.id, { runs: w.runs, lines: w.lines }])));
  }
}

/** Whether one status satisfies a status watch. */
export function statusMatches(spec: Extract<WatchSpec, { kind: 'status' }>, name: string, level: number, message: string, code: string | null): boolean {
  if (name !== spec.name && !name.endsWith(`/${spec.name}`)) return false;
  if (level < spec.min_level) return false;
  if (spec.message !== undefined && !message.toLowerCase().includes(spec.message.toLowerCase())) return false;
  if (spec.code !== undefined && code !== null && code.toLowerCase() !== spec.code.toLowerCase()) return false;
  return true;
}

interface LogWatchState {
  spec: Extract<WatchSpec, { kind: 'log' }>;
  runs: RunTracker;
  lines: LogLine[];
}

/** Accumulates log lines: counts, WARN+ groups and samples, log watches. */
export class LogAccumulator {
  total = 0;
  truncated = false;
  private readonly byLevel: Record<string, number> = {};
  private readonly byNode = new Map<string, Record<string, number>>();
  private readonly groups = new Map<string, LogGroup>();
  private readonly samples: LogLine[] = [];
  private readonly watches: LogWatchState[];

  constructor(specs: readonly WatchSpec[]) {
    this.watches = specs.flatMap((spec) => (spec.kind === 'log' ? [{ spec, runs: new RunTracker(STATUS_RUN_GAP_S), lines: [] }] : []));
  }

  /** Adds one log line. */
  addLine(topic: string, t: number, level: number, node: string, text: string): void {
    this.total++;
    const ln = logLevelName(level);
    this.byLevel[ln] = (this.byLevel[ln] ?? 0) + 1;
    let perNode = this.byNode.get(node);
    if (!perNode) {
      if (this.byNode.size >= MAX_NODES) {
        this.truncated = true;
        perNode = this.byNode.get('(other)') ?? {};
        this.byNode.set('(other)', perNode);
      } else {
        perNode = {};
        this.byNode.set(node, perNode);
      }
    }
    perNode[ln] = (perNode[ln] ?? 0) + 1;
    if (level >= 30) {
      const key = `${level}\u0000${node}\u0000${text}`;
      const g = this.groups.get(key);
      if (g) {
        g.count++;
        g.last_s = Math.max(g.last_s, t);
      } else if (this.groups.size < MAX_LOG_GROUPS) {
        this.groups.set(key, { level, node, text, count: 1, first_s: t, last_s: t });
      } else {
        this.truncated = true;
      }
      if (this.samples.length < MAX_LOG_SAMPLES) this.samples.push({ t_s: t, level, node, text });
    }
    for (const w of this.watches) {
      const s = w.spec;
      if (s.topic !== topic || level < s.min_level) continue;
      if (s.node !== undefined && node !== s.node && !node.endsWith(`.${s.node}`) && !node.endsWith(`/${s.node}`)) continue;
      if (s.text !== undefined && !text.toLowerCase().includes(s.text.toLowerCase())) continue;
      w.runs.hit(t);
      if (w.lines.length < MAX_WATCH_LINES) w.lines.push({ t_s: t, level, node, text });
    }
  }

  /** Log features with times shifted by `dt`. */
  result(dt: number): RosoutFeatures {
    const shift = <T extends { t_s: number }>(l: T): T => ({ ...l, t_s: round6(l.t_s + dt) });
    return {
      total: this.total,
      by_level: { ...this.byLevel },
      by_node: Object.fromEntries(this.byNode),
      groups: [...this.groups.values()]
        .map((g) => ({ ...g, first_s: round6(g.first_s + dt), last_s: round6(g.last_s + dt) }))
        .sort((a, b) => b.level - a.level || b.count - a.count),
      samples: this.samples.map(shift).sort((a, b) => a.t_s - b.t_s),
      truncated: this.truncated,
    };
  }

  /** State of each log watch, by id (times unshifted). */
  watchStates(): Map<string, { runs: RunTracker; lines: LogLine[] }> {
    return new Map(this.watches.map((w) => (w.runs.finish(), [w.spec.id, { runs: w.runs, lines: w.lines }])));
  }
}
