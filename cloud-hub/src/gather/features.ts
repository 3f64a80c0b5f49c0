/**
 * DriveFeatures: everything diagnosis needs from one drive, gathered in one
 * bounded pass over the per-topic CSV chunks. JSON-serialisable; all times are
 * seconds from the start of the drive (t = 0 is the earliest log time of any
 * topic), except `drive.start_ns`/`end_ns`, which are exact nanosecond strings.
 */
import { z } from 'zod';

/** A time interval in drive seconds, with how many samples fell in it. */
export const Interval = z.object({ start_s: z.number(), end_s: z.number(), count: z.number().nonnegative() });
export type Interval = z.infer<typeof Interval>;

/** Statistics of one numeric (or boolean, as 0/1) field. */
export const FieldStats = z.object({
  count: z.number().int().nonnegative(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  /** 99th percentile from a bounded sketch (about 2 % relative error). */
  p99: z.number(),
  first: z.number(),
  last: z.number(),
  first_s: z.number(),
  last_s: z.number(),
});
export type FieldStats = z.infer<typeof FieldStats>;

/** One silence of a topic. */
export const Gap = z.object({ start_s: z.number(), duration_s: z.number() });
export type Gap = z.infer<typeof Gap>;

/** Timing and field statistics of one topic. */
export const TopicFeatures = z.object({
  count: z.number().int().nonnegative(),
  first_s: z.number(),
  last_s: z.number(),
  /** Mean rate over the topic's own span (Hz). */
  rate_hz: z.number(),
  median_period_s: z.number().nullable(),
  gaps: z.object({
    /** Gaps counted are longer than this: max(5 × median period, watched gap threshold). */
    threshold_s: z.number(),
    count: z.number().int().nonnegative(),
    /** The longest gaps, longest first (bounded). */
    largest: z.array(Gap),
  }),
  /** Lowest rate over sliding windows of `rate_window_s` inside the drive. */
  min_rate_hz: z.number().nullable(),
  rate_window_s: z.number(),
  columns: z.array(z.string()),
  fields: z.record(z.string(), FieldStats),
  bad_rows: z.number().int().nonnegative(),
  out_of_order: z.number().int().nonnegative(),
});
export type TopicFeatures = z.infer<typeof TopicFeatures>;

/** One distinct diagnostics status (name, level, message, code) over the drive. */
export const DiagnosticEntry = z.object({
  topic: z.string(),
  name: z.string(),
  /** 0 OK, 1 WARN, 2 ERROR, 3 STALE. */
  level: z.number().int(),
  message: z.string(),
  code: z.string().nullable(),
  hardware_id: z.string(),
  count: z.number().int().nonnegative(),
  first_s: z.number(),
  last_s: z.number(),
  /** Longest run of consecutive reports (no pause over the run gap), last minus first report time. */
  longest_run_s: z.number(),
});
export type DiagnosticEntry = z.infer<typeof DiagnosticEntry>;

/** One log line. */
export const LogLine = z.object({ t_s: z.number(), level: z.number().int(), node: z.string(), text: z.string() });
export type LogLine = z.infer<typeof LogLine>;

/** Identical WARN-or-above log lines grouped. */
export const LogGroup = z.object({
  level: z.number().int(),
  node: z.string(),
  text: z.string(),
  count: z.number().int().positive(),
  first_s: z.number(),
  last_s: z.number(),
});
export type LogGroup = z.infer<typeof LogGroup>;

/** Log statistics over every log topic. */
export const RosoutFeatures = z.object({
  total: z.number().int().nonnegative(),
  /** Count per level name (DEBUG, INFO, WARN, ERROR, FATAL, or the number). */
  by_level: z.record(z.string(), z.number().int()),
  /** Count per node, then per level name. */
  by_node: z.record(z.string(), z.record(z.string(), z.number().int())),
  groups: z.array(LogGroup),
  /** First WARN-or-above lines, in time order (bounded). */
  samples: z.array(LogLine),
  truncated: z.boolean(),
});
export type RosoutFeatures = z.infer<typeof RosoutFeatures>;

/** What one watch saw. */
export const WatchResult = z.object({
  id: z.string(),
  kind: z.enum(['value', 'gap', 'rate', 'rise', 'log', 'status']),
  topic: z.string(),
  /** Where the watched condition held (combined with its `while` conditions), bounded. */
  intervals: z.array(Interval),
  interval_count: z.number().int().nonnegative(),
  total_s: z.number(),
  longest_s: z.number(),
  /** Samples (or gaps, lines, reports) satisfying the watch. */
  match_count: z.number().nonnegative(),
  /** Samples of the watched topic seen; 0 means the topic was absent. */
  sample_count: z.number().int().nonnegative(),
  /** For `rise`: the largest rise from a low to a later high. */
  rise: z.object({ value: z.number(), from_s: z.number(), to_s: z.number(), from_value: z.number(), to_value: z.number() }).optional(),
  /** For `log` and `status`: first matching lines. */
  lines: z.array(LogLine).optional(),
  /** For `rate`: lowest windowed rate (Hz). */
  min_rate_hz: z.number().optional(),
  truncated: z.boolean(),
});
export type WatchResult = z.infer<typeof WatchResult>;

/** Downsampled series of one field (null where a bucket had no sample). */
export const SeriesField = z.object({
  min: z.array(z.number().nullable()),
  max: z.array(z.number().nullable()),
  mean: z.array(z.number().nullable()),
});
export type SeriesField = z.infer<typeof SeriesField>;

/** Downsampled series of one topic's key fields; `t_s` is each bucket's start. */
export const TopicSeries = z.object({
  bucket_s: z.number().positive(),
  t_s: z.array(z.number()),
  fields: z.record(z.string(), SeriesField),
});
export type TopicSeries = z.infer<typeof TopicSeries>;

/** Everything gathered from one drive. */
export const DriveFeatures = z.object({
  v: z.literal(1),
  drive: z.object({ start_ns: z.string(), end_ns: z.string(), duration_s: z.number().nonnegative() }),
  topics: z.record(z.string(), TopicFeatures),
  diagnostics: z.array(DiagnosticEntry),
  rosout: RosoutFeatures,
  watches: z.record(z.string(), WatchResult),
  series: z.record(z.string(), TopicSeries),
  /** Problems that did not stop gathering (bad rows, unknown columns). */
  problems: z.array(z.string()),
});
export type DriveFeatures = z.infer<typeof DriveFeatures>;
