/**
 * Time-interval bookkeeping for watches: an online tracker fed one sample at a
 * time (sample-and-hold: a value holds until the next sample, unless the topic
 * goes silent), and interval intersection for `while` conditions.
 * Times are seconds on whatever clock the caller uses.
 */
import type { Interval } from './features.js';

/** Most intervals kept per tracker; later ones merge into the last. */
export const MAX_INTERVALS = 1000;

/** Online tracker of where a per-sample condition held. */
export class IntervalTracker {
  readonly intervals: Interval[] = [];
  matchCount = 0;
  sampleCount = 0;
  totalS = 0;
  longestS = 0;
  truncated = false;
  private openStart = NaN;
  private openCount = 0;
  private lastT = NaN;

  /**
   * Feeds one sample at time `t`. `holdLimitS`: a pause between samples longer
   * than this ends an open interval at the previous sample plus `periodS`
   * (the topic went silent) instead of holding across the pause.
   */
  update(t: number, held: boolean, holdLimitS: number, periodS: number): void {
    this.sampleCount++;
    if (!Number.isNaN(this.openStart) && t - this.lastT > holdLimitS) this.close(this.lastT + periodS);
    if (held) {
      this.matchCount++;
      if (Number.isNaN(this.openStart)) {
        this.openStart = t;
        this.openCount = 0;
      }
      this.openCount++;
    } else if (!Number.isNaN(this.openStart)) {
      this.close(t);
    }
    this.lastT = t;
  }

  /** Adds a finished interval directly (e.g. a gap between two samples). */
  add(start: number, end: number, count: number): void {
    this.matchCount += count;
    this.push({ start_s: start, end_s: end, count });
  }

  /** Closes an interval still open after the last sample, holding it one period. */
  finish(periodS: number): void {
    if (!Number.isNaN(this.openStart)) this.close(this.lastT + periodS);
  }

  private close(end: number): void {
    this.push({ start_s: this.openStart, end_s: Math.max(end, this.openStart), count: this.openCount });
    this.openStart = NaN;
    this.openCount = 0;
  }

  private push(iv: Interval): void {
    const d = iv.end_s - iv.start_s;
    this.totalS += d;
    if (d > this.longestS) this.longestS = d;
    const last = this.intervals[this.intervals.length - 1];
    if (this.intervals.length >= MAX_INTERVALS && last) {
      // Bounded: merge into the last interval; totals above stay exact.
      last.end_s = Math.max(last.end_s, iv.end_s);
      last.count += iv.count;
      this.truncated = true;
      return;
    }
    this.intervals.push(iv);
  }
}

/**
 * Intersection of two sorted, non-overlapping interval lists. Each piece
 * keeps the share of its `a` interval's sample count proportional to its
 * length (all of it when the `a` interval has no length).
 */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j]?.end_s ?? 0) < x.start_s) j++;
    for (let k = j; k < b.length; k++) {
      const y = b[k];
      if (!y || y.start_s > x.end_s) break;
      const s = Math.max(x.start_s, y.start_s);
      const e = Math.min(x.end_s, y.end_s);
      if (e < s || (e === s && x.end_s > x.start_s && y.end_s > y.start_s)) continue;
      const len = x.end_s - x.start_s;
      const count = len > 0 ? (x.count * (e - s)) / len : x.count;
      out.push({ start_s: s, end_s: e, count });
    }
  }
  return out;
}

/** Total and longest duration of a list of intervals. */
export function intervalTotals(list: readonly Interval[]): { total_s: number; longest_s: number; count: number } {
  let total = 0;
  let longest = 0;
  let count = 0;
  for (const iv of list) {
    const d = iv.end_s - iv.start_s;
    total += d;
    count += iv.count;
    if (d > longest) longest = d;
  }
  return { total_s: total, longest_s: longest, count };
}

/** Intervals shifted by `dt` seconds, with times rounded to the microsecond. */
export function shiftIntervals(list: readonly Interval[], dt: number): Interval[] {
  return list.map((iv) => ({ start_s: round6(iv.start_s + dt), end_s: round6(iv.end_s + dt), count: Math.round(iv.count * 1000) / 1000 }));
}

/** Rounds to 6 decimals (microseconds for seconds). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Union of interval lists: overlapping or touching intervals merge, counts add. */
export function unionIntervals(lists: readonly (readonly Interval[])[]): Interval[] {
  const all = lists.flat().map((iv) => ({ ...iv })).sort((a, b) => a.start_s - b.start_s);
  const out: Interval[] = [];
  for (const iv of all) {
    const last = out[out.length - 1];
    if (last && iv.start_s <= last.end_s) {
      last.end_s = Math.max(last.end_s, iv.end_s);
      last.count += iv.count;
    } else {
      out.push(iv);
    }
  }
  return out;
}

/**
 * One {@link IntervalTracker} per group of rows (e.g. per CAN bus when a topic
 * interleaves rows of several buses), read back as the union of the groups.
 * With a single group it is exactly that group's tracker.
 */
export class GroupedTracker {
  private readonly groups = new Map<string, IntervalTracker>();
  private merged: Interval[] | null = null;

  /** Feeds one sample of `group` (see {@link IntervalTracker.update}). */
  update(group: string, t: number, held: boolean, holdLimitS: number, periodS: number): void {
    let tr = this.groups.get(group);
    if (!tr) {
      tr = new IntervalTracker();
      this.groups.set(group, tr);
    }
    tr.update(t, held, holdLimitS, periodS);
    this.merged = null;
  }

  /** Closes open intervals of every group. */
  finish(periodS: number): void {
    for (const tr of this.groups.values()) tr.finish(periodS);
    this.merged = null;
  }

  private single(): IntervalTracker | undefined {
    return this.groups.size === 1 ? this.groups.values().next().value : undefined;
  }

  /** Where the condition held in any group. */
  get intervals(): Interval[] {
    this.merged ??= this.single()?.intervals ?? unionIntervals([...this.groups.values()].map((g) => g.intervals));
    return this.merged;
  }
  get truncated(): boolean {
    return [...this.groups.values()].some((g) => g.truncated);
  }
  get totalS(): number {
    return this.single()?.totalS ?? intervalTotals(this.intervals).total_s;
  }
  get longestS(): number {
    return this.single()?.longestS ?? intervalTotals(this.intervals).longest_s;
  }
  get matchCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.matchCount;
    return n;
  }
}
