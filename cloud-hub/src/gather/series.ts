/**
 * Downsampled time series of a few fields of one topic, for charts: per
 * bucket min, max and mean. The bucket width doubles whenever the number of
 * buckets would exceed twice the point budget, so memory stays bounded on
 * drives of any length.
 */
import type { TopicSeries } from './features.js';

/** Most fields charted per topic. */
export const MAX_SERIES_FIELDS = 12;
/** Most points per field in the output. */
export const MAX_SERIES_POINTS = 2000;

/** Per-bucket stats of each field: [min, max, sum, n] × fields. */
type Bucket = Float64Array;

/** Accumulates series of `fields` (in this order). */
export class SeriesAccumulator {
  private bucketS: number;
  private buckets = new Map<number, Bucket>();

  constructor(readonly fields: readonly string[], bucketS: number) {
    this.bucketS = bucketS;
  }

  /** Adds the value of field number `fi` at time `t`. */
  add(fi: number, t: number, v: number): void {
    const key = Math.floor(t / this.bucketS);
    let b = this.buckets.get(key);
    if (!b) {
      b = newBucket(this.fields.length);
      this.buckets.set(key, b);
      if (this.buckets.size > 2 * MAX_SERIES_POINTS) {
        this.coarsen();
        b = this.buckets.get(Math.floor(t / this.bucketS));
        if (!b) return;
      }
    }
    const o = fi * 4;
    if (v < b[o]!) b[o] = v;
    if (v > b[o + 1]!) b[o + 1] = v;
    b[o + 2]! += v;
    b[o + 3]! += 1;
  }

  private coarsen(): void {
    this.bucketS *= 2;
    const old = this.buckets;
    this.buckets = new Map();
    for (const [key, b] of old) {
      const k = Math.floor(key / 2);
      const into = this.buckets.get(k);
      if (into) merge(into, b);
      else this.buckets.set(k, b);
    }
  }

  /** The series with bucket starts shifted by `dt` seconds; null when empty. */
  result(dt: number): TopicSeries | null {
    if (this.buckets.size === 0) return null;
    while (this.buckets.size > MAX_SERIES_POINTS) this.coarsen();
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    const out: TopicSeries = { bucket_s: this.bucketS, t_s: [], fields: {} };
    const cols = this.fields.map((f) => {
      const s = { min: [] as (number | null)[], max: [] as (number | null)[], mean: [] as (number | null)[] };
      out.fields[f] = s;
      return s;
    });
    for (const key of keys) {
      const b = this.buckets.get(key)!;
      out.t_s.push(Math.round((key * this.bucketS + dt) * 1000) / 1000);
      cols.forEach((s, fi) => {
        const o = fi * 4;
        const n = b[o + 3]!;
        s.min.push(n > 0 ? b[o]! : null);
        s.max.push(n > 0 ? b[o + 1]! : null);
        s.mean.push(n > 0 ? Number((b[o + 2]! / n).toPrecision(7)) : null);
      });
    }
    return out;
  }
}

function newBucket(nFields: number): Bucket {
  const b = new Float64Array(nFields * 4);
  for (let i = 0; i < nFields; i++) {
    b[i * 4] = Infinity;
    b[i * 4 + 1] = -Infinity;
  }
  return b;
}

function merge(into: Bucket, b: Bucket): void {
  for (let o = 0; o < into.length; o += 4) {
    into[o] = Math.min(into[o]!, b[o]!);
    into[o + 1] = Math.max(into[o + 1]!, b[o + 1]!);
    into[o + 2]! += b[o + 2]!;
    into[o + 3]! += b[o + 3]!;
  }
}

/**
 * Picks the fields to chart: watched fields first, then other numeric fields
 * in column order, skipping headers, stamps, sequence numbers and covariances.
 */
export function pickSeriesFields(numericColumns: readonly string[], watched: ReadonlySet<string>): string[] {
  const boring = /(^|\.)(header|stamp|seq|sequence|frame_id)(\.|$)|covariance/;
  const picked = numericColumns.filter((c) => watched.has(c));
  for (const c of numericColumns) {
    if (picked.length >= MAX_SERIES_FIELDS) break;
    if (!watched.has(c) && !boring.test(c)) picked.push(c);
  }
  return picked.slice(0, MAX_SERIES_FIELDS);
}
