/**
 * Turns the gatherer's per-topic trackers into one {@link WatchResult} per
 * watch: intersects `while` conditions, adds trailing silences to gap
 * watches, computes windowed rates, and shifts times to drive seconds.
 */
import type { RunTracker } from './event-accumulators.js';
import type { Interval, LogLine, WatchResult } from './features.js';
import { intersectIntervals, intervalTotals, round6, shiftIntervals } from './intervals.js';
import type { TopicState } from './topic-state.js';
import type { TopicTiming } from './topic-timing.js';
import { conditionKey, type WatchSpec } from './watch-spec.js';

/** Most intervals reported per watch (the longest are kept). */
export const MAX_REPORTED_INTERVALS = 200;

/** Time range of the drive in gatherer time, and the shift to drive seconds. */
export interface DriveRange {
  t0: number;
  tEnd: number;
  dt: number;
}

/** Rate of a topic in each whole second `k` of [fromT, toT), averaged over the `windowS` seconds ending there. */
export function windowedRates(tm: TopicTiming, fromT: number, toT: number, windowS: number): { k: number; hz: number }[] {
  const kStart = Math.ceil(fromT);
  const kEnd = Math.floor(toT);
  const out: { k: number; hz: number }[] = [];
  const w = Math.max(1, Math.round(windowS));
  if (kEnd - kStart < w) return out;
  for (let k = kStart + w - 1; k < kEnd; k++) {
    let sum = 0;
    for (let j = k - w + 1; j <= k; j++) sum += tm.perSecond.get(j) ?? 0;
    out.push({ k, hz: sum / w });
  }
  return out;
}

function bounded(list: Interval[]): { intervals: Interval[]; cut: boolean } {
  if (list.length <= MAX_REPORTED_INTERVALS) return { intervals: list, cut: false };
  const keep = [...list].sort((a, b) => b.end_s - b.start_s - (a.end_s - a.start_s)).slice(0, MAX_REPORTED_INTERVALS);
  return { intervals: keep.sort((a, b) => a.start_s - b.start_s), cut: true };
}

function result(
  spec: WatchSpec,
  raw: Interval[],
  range: DriveRange,
  extra: { match_count?: number; sample_count: number; truncated?: boolean; totals?: { total_s: number; longest_s: number } },
): WatchResult {
  const totals = extra.totals ?? intervalTotals(raw);
  const b = bounded(raw);
  return {
    id: spec.id,
    kind: spec.kind,
    topic: spec.topic,
    intervals: shiftIntervals(b.intervals, range.dt),
    interval_count: raw.length,
    total_s: round6(totals.total_s),
    longest_s: round6(totals.longest_s),
    match_count: Math.round((extra.match_count ?? intervalTotals(raw).count) * 1000) / 1000,
    sample_count: extra.sample_count,
    truncated: b.cut || (extra.truncated ?? false),
  };
}

type Runs = Map<string, { runs: RunTracker; lines: LogLine[] }>;

/** Builds the result of every watch. */
export function buildWatchResults(
  watches: readonly WatchSpec[],
  topics: ReadonlyMap<string, TopicState>,
  statusRuns: Runs,
  logRuns: Runs,
  range: DriveRange,
): Record<string, WatchResult> {
  const out: Record<string, WatchResult> = {};
  for (const w of watches) {
    const st = topics.get(w.topic);
    const samples = st?.timing.count ?? 0;
    const period = st?.timing.medianPeriod() ?? 0;
    switch (w.kind) {
      case 'value': {
        const same = w.while.filter((c) => c.topic === w.topic);
        const key = [w.topic, conditionKey({ topic: w.topic, predicate: w.predicate }), ...same.map(conditionKey)].join(' & ');
        const main = st?.conditions.find((c) => c.key === key)?.tracker;
        main?.finish(period);
        let list: Interval[] = main ? [...main.intervals] : [];
        let truncated = main?.truncated ?? false;
        for (const c of w.while.filter((c) => c.topic !== w.topic)) {
          const other = topics.get(c.topic);
          const tr = other?.conditions.find((x) => x.key === conditionKey(c))?.tracker;
          tr?.finish(other?.timing.medianPeriod() ?? 0);
          list = intersectIntervals(list, tr ? tr.intervals : []);
          truncated ||= tr?.truncated ?? false;
        }
        const crossWhile = w.while.some((c) => c.topic !== w.topic);
        const totals = !crossWhile && main && !main.truncated ? { total_s: main.totalS, longest_s: main.longestS } : undefined;
        out[w.id] = result(w, list, range, { sample_count: samples, truncated, ...(totals ? { totals } : {}) });
        break;
      }
      case 'gap': {
        const tr = st?.gapTrackers.find((g) => g.spec.id === w.id)?.tracker;
        const list = tr ? [...tr.intervals] : [];
        let count = tr?.matchCount ?? 0;
        if (st && st.timing.count > 0) {
          const silence = range.tEnd - st.timing.lastT;
          if (silence >= Math.max(w.min_gap_s, 10 * period, 1)) {
            list.push({ start_s: st.timing.lastT, end_s: range.tEnd, count: 1 });
            count++;
          }
        }
        out[w.id] = result(w, list, range, { match_count: count, sample_count: samples, truncated: tr?.truncated ?? false });
        break;
      }
      case 'rate': {
        const list: Interval[] = [];
        let minHz = Infinity;
        if (st && st.timing.count > 0) {
          const rates = windowedRates(st.timing, Math.max(range.t0, st.timing.firstT), range.tEnd, w.window_s);
          for (const r of rates) {
            minHz = Math.min(minHz, r.hz);
            if (r.hz >= w.below_hz) continue;
            const last = list[list.length - 1];
            const n = st.timing.perSecond.get(r.k) ?? 0;
            if (last && last.end_s === r.k) {
              last.end_s = r.k + 1;
              last.count += n;
            } else {
              list.push({ start_s: r.k, end_s: r.k + 1, count: n });
            }
          }
        }
        const res = result(w, list, range, { sample_count: samples });
        if (Number.isFinite(minHz)) res.min_rate_hz = round6(minHz);
        out[w.id] = res;
        break;
      }
      case 'rise': {
        const r = st?.rises.find((x) => x.spec.id === w.id);
        const best = r?.best;
        const list = best ? [{ start_s: best.from_s, end_s: best.to_s, count: r.increments }] : [];
        const res = result(w, list, range, { match_count: r?.increments ?? 0, sample_count: r?.samples ?? 0 });
        if (best) res.rise = { value: round6(best.value), from_s: round6(best.from_s + range.dt), to_s: round6(best.to_s + range.dt), from_value: best.from_value, to_value: best.to_value };
        out[w.id] = res;
        break;
      }
      case 'log':
      case 'status': {
        const s = (w.kind === 'log' ? logRuns : statusRuns).get(w.id);
        const list = s ? [...s.runs.runs] : [];
        const res = result(w, list, range, {
          match_count: s?.runs.count ?? 0,
          sample_count: samples,
          truncated: s?.runs.truncated ?? false,
          totals: { total_s: intervalTotals(list).total_s, longest_s: s?.runs.longestS ?? 0 },
        });
        res.lines = (s?.lines ?? []).map((l) => ({ ...l, t_s: round6(l.t_s + range.dt) }));
        out[w.id] = res;
        break;
      }
    }
  }
  return out;
}
