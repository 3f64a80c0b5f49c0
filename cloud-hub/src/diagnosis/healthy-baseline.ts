/**
 * The healthy baseline: how each topic and charted field of a platform
 * behaves on drives known to be healthy — rates, the largest level shifts,
 * the most restless stretch, the longest constant stretch, the level
 * envelope, the ERROR lines each node may log. Learned from gathered
 * features ({@link learnBaseline}), shipped as data next to the demo
 * knowledge base (kb/demo-baseline.json) and compared against by
 * baseline-anomalies.ts. Nothing here names a topic or a field. Pure.
 */
import { z } from 'zod';
import type { DriveFeatures } from '../gather/features.js';
import { extentOf, fieldProfile, maxOf, SHIFT_SCALES } from './signal-stats.js';

/** What healthy drives showed for one field. */
export const FieldBaseline = z.object({
  /** Healthy drives that charted the field. */
  n: z.number().int().positive(),
  /** Longest stretch (s) over which the value did not change. */
  flat_s: z.number().nonnegative(),
  /** True when some healthy drive held the value for most of the drive (a constant by nature). */
  constant: z.boolean(),
  /** Largest level shift per scale (key: buckets), same unit as the field. */
  shift: z.record(z.string(), z.number().nonnegative()),
  /** Largest sliding-median activity (spread + change per bucket). */
  activity: z.number().nonnegative(),
  /** Envelope of the sliding-median level. */
  lo: z.number(),
  hi: z.number(),
  /** True when the level range does not grow with drive length (checked on drives of two lengths). */
  bounded: z.boolean(),
});
export type FieldBaseline = z.infer<typeof FieldBaseline>;

/** What healthy drives showed for one topic. */
export const TopicBaseline = z.object({
  n: z.number().int().positive(),
  /** Median mean rate (Hz). */
  rate_hz: z.number().nonnegative(),
  /** Lowest windowed rate seen, as a share of the drive's own mean rate. */
  min_rate_ratio: z.number().nonnegative(),
  /** Largest shortfall of messages, in seconds of nominal rate. */
  deficit_s: z.number().nonnegative(),
  fields: z.record(z.string(), FieldBaseline),
});
export type TopicBaseline = z.infer<typeof TopicBaseline>;

/** The baseline of one platform. */
export const PlatformBaseline = z.object({
  drives: z.number().int().positive(),
  /** Series bucket width the baseline was learned at (s). */
  bucket_s: z.number().positive(),
  topics: z.record(z.string(), TopicBaseline),
  /** Most ERROR-or-worse log lines one node logged on one healthy drive (nodes absent: none). */
  error_lines: z.record(z.string(), z.number().int().nonnegative()),
});
export type PlatformBaseline = z.infer<typeof PlatformBaseline>;

/** Healthy baselines per platform. */
export const HealthyBaseline = z.object({
  v: z.literal(1),
  /** How it was learned (tool, drives, seeds). */
  source: z.string(),
  platforms: z.record(z.string(), PlatformBaseline),
});
export type HealthyBaseline = z.infer<typeof HealthyBaseline>;

/** One healthy drive to learn from. */
export interface HealthyDrive {
  platform: string;
  features: DriveFeatures;
}

/** A level range that grows by more than this factor on longer drives is unbounded (a position, a counter, a charge). */
const GROWTH_LIMIT = 1.5;
/** Held constant for more than this share of a healthy drive: the field is constant by nature. */
const CONSTANT_SHARE = 0.5;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface FieldAcc { n: number; flat: number; constant: boolean; shift: number[]; activity: number; lo: number; hi: number; ranges: { d: number; r: number }[] }

function learnPlatform(drives: HealthyDrive[]): PlatformBaseline {
  const topics = new Map<string, { rates: number[]; minRatio: number; deficits: { f: DriveFeatures; count: number; span: number }[]; fields: Map<string, FieldAcc> }>();
  const errorLines: Record<string, number> = {};
  let bucket = Infinity;
  for (const { features: f } of drives) {
    for (const [name, t] of Object.entries(f.topics)) {
      if (t.count < 2 || t.median_period_s === null) continue;
      let acc = topics.get(name);
      if (!acc) topics.set(name, (acc = { rates: [], minRatio: Infinity, deficits: [], fields: new Map() }));
      acc.rates.push(t.rate_hz);
      if (t.min_rate_hz !== null && t.rate_hz > 0) acc.minRatio = Math.min(acc.minRatio, t.min_rate_hz / t.rate_hz);
      acc.deficits.push({ f, count: t.count, span: t.last_s - t.first_s });
      const series = f.series[name];
      if (!series) continue;
      bucket = Math.min(bucket, series.bucket_s);
      for (const field of Object.keys(series.fields)) {
        const p = fieldProfile(series, field);
        const ext = p && extentOf(p.level);
        if (!p || !ext) continue;
        let fa = acc.fields.get(field);
        if (!fa) acc.fields.set(field, (fa = { n: 0, flat: 0, constant: false, shift: SHIFT_SCALES.map(() => 0), activity: 0, lo: Infinity, hi: -Infinity, ranges: [] }));
        const flat = p.flat[0] ? p.flat[0].end_s - p.flat[0].start_s : 0;
        fa.n++;
        fa.flat = Math.max(fa.flat, flat);
        fa.constant ||= flat > CONSTANT_SHARE * f.drive.duration_s;
        SHIFT_SCALES.forEach((w, i) => (fa.shift[i] = Math.max(fa.shift[i]!, maxOf(p.shift[w]))));
        fa.activity = Math.max(fa.activity, maxOf(p.activity));
        fa.lo = Math.min(fa.lo, ext[0]);
        fa.hi = Math.max(fa.hi, ext[1]);
        fa.ranges.push({ d: f.drive.duration_s, r: ext[1] - ext[0] });
      }
    }
    for (const [node, levels] of Object.entries(f.rosout.by_node)) {
      const errors = (levels['ERROR'] ?? 0) + (levels['FATAL'] ?? 0);
      errorLines[node] = Math.max(errorLines[node] ?? 0, errors);
    }
  }
  const out: PlatformBaseline = { drives: drives.length, bucket_s: Number.isFinite(bucket) ? bucket : 1, topics: {}, error_lines: {} };
  for (const [node, n] of Object.entries(errorLines)) if (n > 0) out.error_lines[node] = n;
  for (const [name, acc] of topics) {
    const rate = median(acc.rates);
    const deficit = Math.max(0, ...acc.deficits.map((d) => (rate * d.span - d.count) / Math.max(rate, 1e-9)));
    const fields: Record<string, FieldBaseline> = {};
    for (const [field, fa] of acc.fields) {
      fields[field] = {
        n: fa.n, flat_s: fa.flat, constant: fa.constant,
        shift: Object.fromEntries(SHIFT_SCALES.map((w, i) => [String(w), fa.shift[i]!])),
        activity: fa.activity, lo: fa.lo, hi: fa.hi, bounded: bounded(fa.ranges),
      };
    }
    out.topics[name] = { n: acc.rates.length, rate_hz: rate, min_rate_ratio: Number.isFinite(acc.minRatio) ? acc.minRatio : 0, deficit_s: Math.max(0, deficit), fields };
  }
  return out;
}

/** Bounded when drives at least twice as long show no wider level range (needs drives of two lengths). */
function bounded(ranges: { d: number; r: number }[]): boolean {
  const shortest = Math.min(...ranges.map((x) => x.d));
  const short = ranges.filter((x) => x.d < 2 * shortest).map((x) => x.r);
  const long = ranges.filter((x) => x.d >= 2 * shortest).map((x) => x.r);
  if (short.length === 0 || long.length === 0) return false;
  return median(long) <= GROWTH_LIMIT * median(short) + 1e-9;
}

/**
 * Learns the baseline of every platform from healthy drives. Use drives of
 * two lengths (the longer at least twice the shorter) so that level ranges
 * can be told bounded or not.
 * @example learnBaseline(drives, 'argus kb baseline, 90 simulated drives')
 */
export function learnBaseline(drives: HealthyDrive[], source: string): HealthyBaseline {
  const by = new Map<string, HealthyDrive[]>();
  for (const d of drives) by.set(d.platform, [...(by.get(d.platform) ?? []), d]);
  const platforms: Record<string, PlatformBaseline> = {};
  for (const [p, list] of [...by].sort(([a], [b]) => a.localeCompare(b))) platforms[p] = learnPlatform(list);
  return { v: 1, source, platforms };
}
