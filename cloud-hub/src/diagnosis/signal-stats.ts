/**
 * Dynamics of one numeric field over a drive, from gather's downsampled
 * series (per bucket: min, max, mean): how its level moves, how restless it
 * is, and where it stops changing. The healthy baseline (healthy-baseline.ts)
 * and the anomaly detector (baseline-anomalies.ts) both use these profiles,
 * so a drive is judged with exactly the statistics the baseline was learned
 * with. Pure.
 */
import type { TopicSeries } from '../gather/features.js';

/** Scales (buckets) at which level shifts are measured: a step, and a slow drift. */
export const SHIFT_SCALES = [5, 30] as const;
/** Buckets in the sliding median of the level (range checks). */
export const LEVEL_WINDOW = 5;
/** Buckets in the sliding median of the activity (oscillation checks). */
export const ACTIVITY_WINDOW = 10;

/** A run of buckets over which the value did not change. */
export interface FlatRun {
  start_s: number;
  end_s: number;
  value: number;
}

/** Per-bucket profile of one field (arrays align with `t_s`; null where the window lacks data). */
export interface FieldProfile {
  bucket_s: number;
  t_s: number[];
  /** Sliding median ({@link LEVEL_WINDOW} buckets, centred) of the bucket means. */
  level: (number | null)[];
  /** Per scale w: |median of the w bucket means from here − median of the w before|. */
  shift: Record<(typeof SHIFT_SCALES)[number], (number | null)[]>;
  /**
   * Sliding median ({@link ACTIVITY_WINDOW} buckets, centred) of each bucket's
   * activity: its spread (max − min) plus the change of its mean from the
   * previous bucket. High on an oscillating or suddenly noisy signal; a
   * single spike does not move the median.
   */
  activity: (number | null)[];
  /** Runs of ≥ 2 buckets whose samples all had the same value, longest first. */
  flat: FlatRun[];
}

/** Share of a window's buckets that must hold data: windows across a silence compare nothing. */
const COVERAGE = 0.8;

/** Median of the non-null values in xs[a, b); null when less than {@link COVERAGE} of the slots have data. */
function medianOf(xs: readonly (number | null)[], a: number, b: number): number | null {
  const vals: number[] = [];
  for (let i = Math.max(0, a); i < Math.min(xs.length, b); i++) {
    const v = xs[i];
    if (v !== null && v !== undefined) vals.push(v);
  }
  if (vals.length === 0 || vals.length < COVERAGE * (b - a)) return null;
  vals.sort((x, y) => x - y);
  const m = vals.length >> 1;
  return vals.length % 2 ? vals[m]! : (vals[m - 1]! + vals[m]!) / 2;
}

function centred(xs: readonly (number | null)[], w: number): (number | null)[] {
  const half = Math.floor(w / 2);
  return xs.map((_, i) => medianOf(xs, i - half, i - half + w));
}

function flatRuns(t: readonly number[], min: readonly (number | null)[], max: readonly (number | null)[], bucketS: number): FlatRun[] {
  const runs: FlatRun[] = [];
  let start = -1;
  let last = -1;
  let value = NaN;
  const close = (): void => {
    if (start >= 0 && last > start) runs.push({ start_s: t[start]!, end_s: t[last]! + bucketS, value });
    start = -1;
  };
  for (let i = 0; i < t.length; i++) {
    const lo = min[i];
    const hi = max[i];
    if (lo === null || hi === null || lo === undefined || hi === undefined) {
      close(); // a value is not stuck across a silence
      continue;
    }
    if (lo !== hi) {
      close();
      continue;
    }
    if (start >= 0 && lo === value) last = i;
    else {
      close();
      start = i;
      last = i;
      value = lo;
    }
  }
  close();
  return runs.sort((a, b) => b.end_s - b.start_s - (a.end_s - a.start_s));
}

/** The field's bucket arrays on a regular grid: gather leaves out empty buckets, a silence becomes nulls here. */
function dense(series: TopicSeries, field: string): { t: number[]; min: (number | null)[]; max: (number | null)[]; mean: (number | null)[] } | null {
  const s = series.fields[field];
  if (!s || series.t_s.length === 0) return null;
  const b = series.bucket_s;
  const t0 = series.t_s[0]!;
  const n = Math.round((series.t_s[series.t_s.length - 1]! - t0) / b) + 1;
  const out = { t: Array.from({ length: n }, (_, i) => Math.round((t0 + i * b) * 1000) / 1000), min: new Array<number | null>(n).fill(null), max: new Array<number | null>(n).fill(null), mean: new Array<number | null>(n).fill(null) };
  series.t_s.forEach((t, j) => {
    const i = Math.round((t - t0) / b);
    out.min[i] = s.min[j] ?? null;
    out.max[i] = s.max[j] ?? null;
    out.mean[i] = s.mean[j] ?? null;
  });
  return out;
}

/**
 * The profile of `field` in `series`, or null when the series does not chart it.
 * @example fieldProfile(features.series['/power/battery']!, 'pack_temp_c')?.shift[30]
 */
export function fieldProfile(series: TopicSeries, field: string): FieldProfile | null {
  const s = dense(series, field);
  if (!s) return null;
  const n = s.t.length;
  const activityRaw: (number | null)[] = [];
  let prev: number | null = null;
  for (let i = 0; i < n; i++) {
    const lo = s.min[i] ?? null;
    const hi = s.max[i] ?? null;
    const m = s.mean[i] ?? null;
    if (lo === null || hi === null || m === null) {
      activityRaw.push(null);
      prev = null; // no change is measured across an empty bucket
      continue;
    }
    activityRaw.push(hi - lo + (prev === null ? 0 : Math.abs(m - prev)));
    prev = m;
  }
  const shift = {} as FieldProfile['shift'];
  for (const w of SHIFT_SCALES) {
    shift[w] = s.mean.map((_, i) => {
      if (i < w || i + w > n) return null;
      const before = medianOf(s.mean, i - w, i);
      const after = medianOf(s.mean, i, i + w);
      return before === null || after === null ? null : Math.abs(after - before);
    });
  }
  return {
    bucket_s: series.bucket_s,
    t_s: s.t,
    level: centred(s.mean, LEVEL_WINDOW),
    shift,
    activity: centred(activityRaw, ACTIVITY_WINDOW),
    flat: flatRuns(s.t, s.min, s.max, series.bucket_s),
  };
}

/** Largest non-null value (0 when there is none). */
export function maxOf(xs: readonly (number | null)[]): number {
  let m = 0;
  for (const x of xs) if (x !== null && x > m) m = x;
  return m;
}

/** [lowest, highest] non-null value, or null when there is none. */
export function extentOf(xs: readonly (number | null)[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x === null) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Contiguous stretches where `pred` holds on a per-bucket array, as [first, last] bucket indexes. */
export function stretches(xs: readonly (number | null)[], pred: (x: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let a = -1;
  for (let i = 0; i <= xs.length; i++) {
    const x = i < xs.length ? xs[i] : null;
    const hit = x !== null && x !== undefined && pred(x);
    if (hit && a < 0) a = i;
    if (!hit && a >= 0) {
      out.push([a, i - 1]);
      a = -1;
    }
  }
  return out;
}
