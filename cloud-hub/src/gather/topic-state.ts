/**
 * Per-topic state of the gatherer: timing, field statistics, series, and the
 * watches evaluated row by row on this topic. Rows are fed in chunk order.
 */
import { cellNumber, parseCell, type Cell } from './csv.js';
import { FieldAccumulator } from './field-stats.js';
import { GroupedTracker, IntervalTracker } from './intervals.js';
import { pickSeriesFields, SeriesAccumulator } from './series.js';
import { TopicTiming } from './topic-timing.js';
import { evalPredicate, predicateFields, type Predicate, type WatchSpec } from './watch-spec.js';

/** Most fields with statistics per topic. */
export const MAX_FIELDS_PER_TOPIC = 256;
/** Columns every chunk starts with; data fields follow. */
export const FIXED_COLUMNS = ['log_time_ns', 'publish_time_ns', 'sequence'] as const;
const FIXED: ReadonlySet<string> = new Set(FIXED_COLUMNS);

/** A conjunction of predicates on this topic, tracked as intervals. */
export interface ConditionState {
  key: string;
  preds: Predicate[];
  tracker: GroupedTracker;
}

/** State of one rise watch. */
export interface RiseState {
  spec: Extract<WatchSpec, { kind: 'rise' }>;
  recent: number[];
  runMin: number;
  runMinT: number;
  best: { value: number; from_s: number; to_s: number; from_value: number; to_value: number } | null;
  increments: number;
  prev: number;
  samples: number;
}

/** What kind of content a topic carries. */
export type TopicKind = 'data' | 'diagnostics' | 'log';

/** Mutable per-topic state. */
export class TopicState {
  kind: TopicKind | undefined;
  readonly timing = new TopicTiming();
  readonly columns: string[] = [];
  readonly fields = new Map<string, FieldAccumulator>();
  series: SeriesAccumulator | null = null;
  readonly conditions: ConditionState[] = [];
  readonly gapTrackers: { spec: Extract<WatchSpec, { kind: 'gap' }>; tracker: IntervalTracker }[] = [];
  readonly rises: RiseState[] = [];
  readonly watchedFields = new Set<string>();
  badRows = 0;
  firstNs = '';
  lastNs = '';
  firstNum = Infinity;
  lastNum = -Infinity;
  // Per-chunk column mapping.
  private colIndex = new Map<string, number>();
  private colAcc: (FieldAccumulator | null | undefined)[] = [];
  private colSeries: number[] = [];
  private isData: boolean[] = [];
  private vals: Cell[] = [];
  // Rows held back until the group column is decided.
  private pending: { cells: string[]; t: number; period: number }[] | null = [];
  private groupCol = -1;
  /** Index of `log_time_ns` in the current chunk. */
  timeCol = 0;
  private groups = 1;
  private seriesDone = false;

  constructor(readonly topic: string, private readonly seriesBucketS: number) {}

  /** Registers a condition (conjunction of predicates) to track on this topic. */
  addCondition(key: string, preds: Predicate[]): void {
    if (this.conditions.some((c) => c.key === key)) return;
    this.conditions.push({ key, preds, tracker: new GroupedTracker() });
    for (const p of preds) for (const f of predicateFields(p)) this.watchedFields.add(f);
  }

  /** Registers a gap or rise watch on this topic. */
  addWatch(spec: WatchSpec): void {
    if (spec.kind === 'gap') this.gapTrackers.push({ spec, tracker: new IntervalTracker() });
    if (spec.kind === 'rise') {
      this.rises.push({ spec, recent: [], runMin: Infinity, runMinT: NaN, best: null, increments: 0, prev: NaN, samples: 0 });
      this.watchedFields.add(spec.field);
    }
  }

  /** Starts a chunk with its header row. */
  setHeader(header: string[]): void {
    this.flush();
    this.colIndex = new Map(header.map((c, i) => [c, i]));
    for (const c of header) if (!this.columns.includes(c)) this.columns.push(c);
    this.timeCol = this.colIndex.get('log_time_ns') ?? 0;
    this.isData = header.map((c) => !FIXED.has(c));
    this.colAcc = header.map((c) => (FIXED.has(c) ? null : this.fields.get(c)));
    this.colSeries = header.map((c) => (this.series ? this.series.fields.indexOf(c) : -1));
    this.vals = new Array<Cell>(header.length).fill(null);
    if (this.kind === undefined) {
      const has = (c: string): boolean => this.colIndex.has(c);
      if (has('level') && has('msg') && has('name')) this.kind = 'log';
    }
  }

  /** Index of a column in the current chunk, or -1. */
  col(name: string): number {
    return this.colIndex.get(name) ?? -1;
  }

  /** Records the timing of one row; returns its period (NaN for the first) or null for a bad row. */
  addTime(cells: string[], base: number): { t: number; period: number } | null {
    const raw = cells[this.timeCol] ?? '';
    const ns = Number(raw);
    if (raw === '' || !Number.isFinite(ns)) {
      this.badRows++;
      return null;
    }
    if (ns < this.firstNum) {
      this.firstNum = ns;
      this.firstNs = raw;
    }
    if (ns >= this.lastNum) {
      this.lastNum = ns;
      this.lastNs = raw;
    }
    const t = (ns - base) / 1e9;
    return { t, period: this.timing.add(t) };
  }

  /** Feeds one data row (after addTime) to statistics, series and watches. */
  addDataRow(cells: string[], t: number, period: number): void {
    if (this.pending) {
      this.pending.push({ cells, t, period });
      if (this.pending.length >= GROUP_PROBE_ROWS) this.flush();
      return;
    }
    this.processRow(cells, t, period);
  }

  /** Decides the group column from the rows held back, then processes them. Call before finishing. */
  flush(): void {
    const rows = this.pending;
    if (!rows || rows.length === 0) return;
    this.pending = null;
    this.groupCol = groupColumn(rows.map((r) => r.cells), this.colIndex);
    if (this.groupCol >= 0) this.groups = new Set(rows.map((r) => r.cells[this.groupCol])).size;
    for (const r of rows) this.processRow(r.cells, r.t, r.period);
  }

  private processRow(cells: string[], t: number, period: number): void {
    const vals = this.vals;
    const n = Math.min(cells.length, vals.length);
    if (!this.seriesDone) {
      this.seriesDone = true;
      this.initSeries(cells);
    }
    for (let i = 0; i < n; i++) {
      if (!this.isData[i]) continue;
      const v = parseCell(cells[i]!);
      vals[i] = v;
      const x = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
      if (!Number.isFinite(x)) continue;
      let acc = this.colAcc[i];
      if (acc === undefined) acc = this.newField(i);
      if (acc) acc.add(x, t);
      const si = this.colSeries[i]!;
      if (si >= 0) this.series!.add(si, t, x);
    }
    const get = (f: string): Cell => {
      const i = this.colIndex.get(f);
      return i === undefined ? null : (vals[i] ?? null);
    };
    // Rows of several entities interleave unevenly (pt, then chassis 4 ms later,
    // then pt a second after): the median row period says nothing about one
    // entity's period, the mean row period times the number of entities does.
    const typical = this.groups > 1 && this.timing.count > 1
      ? ((this.timing.lastT - this.timing.firstT) / (this.timing.count - 1)) * this.groups
      : this.timing.typicalPeriod();
    const holdLimit = Number.isNaN(typical) ? Infinity : Math.max(5 * typical, 1);
    const hold = Number.isNaN(typical) ? 0 : typical;
    const group = this.groupCol >= 0 ? (cells[this.groupCol] ?? '') : '';
    for (const c of this.conditions) {
      let held = true;
      for (const p of c.preds) if (!evalPredicate(p, get)) { held = false; break; }
      c.tracker.update(group, t, held, holdLimit, hold);
    }
    if (!Number.isNaN(period)) {
      for (const g of this.gapTrackers) if (period >= g.spec.min_gap_s) g.tracker.add(t - period, t, 1);
    }
    for (const r of this.rises) updateRise(r, cellNumber(get(r.spec.field)), t);
  }

  private newField(i: number): FieldAccumulator | null {
    const name = [...this.colIndex.entries()].find(([, idx]) => idx === i)?.[0];
    if (name === undefined || this.fields.size >= MAX_FIELDS_PER_TOPIC) {
      this.colAcc[i] = null;
      return null;
    }
    const acc = new FieldAccumulator();
    this.fields.set(name, acc);
    this.colAcc[i] = acc;
    return acc;
  }

  private initSeries(cells: string[]): void {
    const numeric: string[] = [];
    for (const [name, i] of this.colIndex) {
      if (FIXED.has(name)) continue;
      const v = parseCell(cells[i] ?? '');
      if (typeof v === 'number' || typeof v === 'boolean' || (v === null && this.watchedFields.has(name))) numeric.push(name);
    }
    numeric.sort((a, b) => (this.colIndex.get(a) ?? 0) - (this.colIndex.get(b) ?? 0));
    const fields = pickSeriesFields(numeric, this.watchedFields);
    if (fields.length === 0) return;
    this.series = new SeriesAccumulator(fields, this.seriesBucketS);
    this.colSeries = [...this.colIndex.keys()].map(() => -1);
    for (const [name, i] of this.colIndex) this.colSeries[i] = fields.indexOf(name);
  }
}

const SMOOTH_WINDOW = 5;
/** Rows examined to find an interleaving group column. */
const GROUP_PROBE_ROWS = 32;

/**
 * A text column that interleaves a few entities row by row (e.g. `bus` =
 * pt, chassis, pt, …): 2–16 distinct values, changing on at least half the
 * rows. Conditions are then tracked per entity. Returns its index or -1.
 */
export function groupColumn(rows: readonly string[][], colIndex: ReadonlyMap<string, number>): number {
  if (rows.length < 4) return -1;
  for (const [name, i] of colIndex) {
    if (FIXED.has(name) || name.endsWith('frame_id')) continue;
    const values = rows.map((r) => r[i] ?? '');
    if (values.some((v) => v === '' || typeof parseCell(v) !== 'string' || v.startsWith('[') || v.startsWith('{'))) continue;
    const distinct = new Set(values).size;
    let changes = 0;
    for (let k = 1; k < values.length; k++) if (values[k] !== values[k - 1]) changes++;
    if (distinct >= 2 && distinct <= 16 && changes >= 0.5 * (values.length - 1)) return i;
  }
  return -1;
}

function updateRise(r: RiseState, v: number, t: number): void {
  if (!Number.isFinite(v)) return;
  r.samples++;
  if (!Number.isNaN(r.prev) && v > r.prev) r.increments++;
  r.prev = v;
  let s = v;
  if (r.spec.smooth) {
    r.recent.push(v);
    if (r.recent.length > SMOOTH_WINDOW) r.recent.shift();
    const sorted = [...r.recent].sort((a, b) => a - b);
    s = sorted[Math.floor(sorted.length / 2)]!;
  }
  if (s < r.runMin) {
    r.runMin = s;
    r.runMinT = t;
  }
  const rise = s - r.runMin;
  if (rise > 0 && (!r.best || rise > r.best.value)) r.best = { value: rise, from_s: r.runMinT, to_s: t, from_value: r.runMin, to_value: s };
}
