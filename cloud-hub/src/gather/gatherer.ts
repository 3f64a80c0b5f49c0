/**
 * The streaming gatherer: feed it the per-topic CSV chunks of one drive (each
 * chunk with its header row; chunks of one topic in order, topics in any
 * interleaving), then `finish()` for the drive's {@link DriveFeatures}.
 * Memory is bounded per topic and per watch, not by the number of rows.
 */
import { forEachCsvRow } from './csv.js';
import { DiagnosticsAccumulator, LogAccumulator } from './event-accumulators.js';
import type { DriveFeatures, TopicFeatures, WatchResult } from './features.js';
import { round6 } from './intervals.js';
import { buildWatchResults, windowedRates } from './watch-results.js';
import { TopicState } from './topic-state.js';
import { conditionKey, RATE_WINDOW_S, type Condition, type WatchSpec } from './watch-spec.js';

/** Options of {@link createGatherer}. */
export interface GathererOptions {
  /** What to track as intervals; usually `watchesFromKb(kb)`. */
  watches: readonly WatchSpec[];
  /** Width of the series buckets in seconds (default 1; grows on long drives). */
  seriesBucketS?: number;
}

/** A gatherer for one drive. */
export interface Gatherer {
  /** Adds one CSV chunk (RFC 4180, header row first) of `topic`. */
  addChunk(topic: string, csv: string | Uint8Array): void;
  /** Computes the features; call once, after the last chunk. */
  finish(): DriveFeatures;
}

/**
 * Creates a gatherer.
 * @example
 * const g = createGatherer({ watches: watchesFromKb(kb) });
 * g.addChunk('/compute/stats', csvText);
 * const features = g.finish();
 */
export function createGatherer(options: GathererOptions): Gatherer {
  const bucketS = options.seriesBucketS ?? 1;
  const watches = [...options.watches];
  const topics = new Map<string, TopicState>();
  const diag = new DiagnosticsAccumulator(watches);
  const logs = new LogAccumulator(watches);
  const problems: string[] = [];
  const diagTopics = new Set(watches.filter((w) => w.kind === 'status').map((w) => w.topic));
  const logTopics = new Set(watches.filter((w) => w.kind === 'log').map((w) => w.topic));
  let base = NaN;

  function topicState(topic: string): TopicState {
    let st = topics.get(topic);
    if (st) return st;
    st = new TopicState(topic, bucketS);
    if (diagTopics.has(topic)) st.kind = 'diagnostics';
    if (logTopics.has(topic)) st.kind = 'log';
    for (const w of watches) {
      if (w.kind === 'value') {
        const same = w.while.filter((c) => c.topic === w.topic);
        if (w.topic === topic) st.addCondition(mainKey(w.topic, [{ topic: w.topic, predicate: w.predicate }, ...same]), [w.predicate, ...same.map((c) => c.predicate)]);
        for (const c of w.while) if (c.topic !== w.topic && c.topic === topic) st.addCondition(conditionKey(c), [c.predicate]);
      } else if (w.topic === topic) {
        st.addWatch(w);
      }
    }
    topics.set(topic, st);
    return st;
  }

  function addChunk(topic: string, csv: string | Uint8Array): void {
    const text = typeof csv === 'string' ? csv : Buffer.from(csv.buffer, csv.byteOffset, csv.byteLength).toString('utf8');
    const st = topicState(topic);
    let header = true;
    let statusCol = -1;
    let levelCol = -1;
    let nameCol = -1;
    let msgCol = -1;
    forEachCsvRow(text, (cells) => {
      if (header) {
        header = false;
        st.setHeader(cells);
        statusCol = st.col('status');
        levelCol = st.col('level');
        nameCol = st.col('name');
        msgCol = st.col('msg');
        const msg = `${topic}: no log_time_ns column; using the first column as time`;
        if (st.col('log_time_ns') < 0 && !problems.includes(msg)) problems.push(msg);
        return;
      }
      if (Number.isNaN(base)) {
        const raw = cells[st.timeCol] ?? '';
        const ns = Number(raw);
        if (raw !== '' && Number.isFinite(ns)) base = ns;
      }
      const tp = st.addTime(cells, base);
      if (!tp) return;
      if (st.kind === undefined && statusCol >= 0 && (cells[statusCol] ?? '').startsWith('[')) st.kind = 'diagnostics';
      if (st.kind === 'diagnostics') {
        if (statusCol >= 0) diag.addRow(topic, tp.t, cells[statusCol] ?? '[]');
      } else if (st.kind === 'log') {
        logs.addLine(topic, tp.t, Number(cells[levelCol] ?? NaN), cells[nameCol] ?? '', cells[msgCol] ?? '');
      } else {
        st.addDataRow(cells, tp.t, tp.period);
      }
    });
    if (header && text.trim() !== '') problems.push(`${topic}: chunk without rows`);
  }

  function finish(): DriveFeatures {
    for (const s of topics.values()) s.flush();
    const present = [...topics.values()].filter((s) => s.timing.count > 0);
    const t0 = Math.min(...present.map((s) => s.timing.firstT));
    const tEnd = Math.max(...present.map((s) => s.timing.lastT));
    const empty = present.length === 0;
    const dt = empty ? 0 : -t0;
    const first = present.reduce<TopicState | undefined>((a, s) => (!a || s.firstNum < a.firstNum ? s : a), undefined);
    const last = present.reduce<TopicState | undefined>((a, s) => (!a || s.lastNum > a.lastNum ? s : a), undefined);
    const range = { t0: empty ? 0 : t0, tEnd: empty ? 0 : tEnd, dt };

    const topicOut: Record<string, TopicFeatures> = {};
    const series: DriveFeatures['series'] = {};
    for (const st of present) {
      topicOut[st.topic] = topicFeatures(st, range, watches);
      const s = st.series?.result(dt);
      if (s) series[st.topic] = s;
      if (st.badRows > 0) problems.push(`${st.topic}: ${st.badRows} row(s) without a valid log_time_ns`);
    }
    if (diag.badRows > 0) problems.push(`diagnostics: ${diag.badRows} row(s) with an unreadable status column`);
    const watchOut: Record<string, WatchResult> = buildWatchResults(watches, topics, diag.watchStates(), logs.watchStates(), range);
    return {
      v: 1,
      drive: { start_ns: first?.firstNs ?? '0', end_ns: last?.lastNs ?? '0', duration_s: empty ? 0 : round6(tEnd - t0) },
      topics: topicOut,
      diagnostics: diag.entriesResult(dt),
      rosout: logs.result(dt),
      watches: watchOut,
      series,
      problems,
    };
  }

  return { addChunk, finish };
}

/** Key of the main condition of a value watch: its predicate and same-topic `while`s. */
export function mainKey(topic: string, conds: Condition[]): string {
  return [topic, ...conds.map((c) => conditionKey(c))].join(' & ');
}

function topicFeatures(st: TopicState, range: { t0: number; tEnd: number; dt: number }, watches: readonly WatchSpec[]): TopicFeatures {
  const tm = st.timing;
  const median = tm.medianPeriod();
  const gapWatch = watches.filter((w): w is Extract<WatchSpec, { kind: 'gap' }> => w.kind === 'gap' && w.topic === st.topic);
  const watchThreshold = gapWatch.length ? Math.min(...gapWatch.map((w) => w.min_gap_s)) : 0;
  const threshold = Math.max(median === null ? 0 : 5 * median, watchThreshold);
  const rates = windowedRates(tm, Math.max(range.t0, tm.firstT), range.tEnd, RATE_WINDOW_S);
  const fields: TopicFeatures['fields'] = {};
  for (const [name, acc] of st.fields) {
    const r = acc.result(range.dt);
    if (r) fields[name] = r;
  }
  const span = tm.lastT - tm.firstT;
  return {
    count: tm.count,
    first_s: round6(tm.firstT + range.dt),
    last_s: round6(tm.lastT + range.dt),
    rate_hz: span > 0 ? round6((tm.count - 1) / span) : 0,
    median_period_s: median === null ? null : round6(median),
    gaps: {
      threshold_s: round6(threshold),
      count: threshold > 0 ? tm.countAbove(threshold) : 0,
      largest: threshold > 0 ? tm.largestGaps(threshold).map((g) => ({ start_s: round6(g.start_s + range.dt), duration_s: round6(g.duration_s) })) : [],
    },
    min_rate_hz: rates.length ? Math.min(...rates.map((r) => r.hz)) : null,
    rate_window_s: RATE_WINDOW_S,
    columns: st.columns,
    fields,
    bad_rows: st.badRows,
    out_of_order: tm.outOfOrder,
  };
}
