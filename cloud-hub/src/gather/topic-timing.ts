/**
 * Timing of one topic: inter-message periods in a log histogram (for the
 * median period and gap counts), the longest gaps, and per-second message
 * counts (for windowed rates). Memory is bounded by the histogram size, the
 * number of gaps kept and the drive length in seconds.
 */
import type { Gap } from './features.js';

const BINS_PER_DECADE = 100;
const MIN_LOG = -6; // 1 µs
const MAX_LOG = 5; // ~28 h
const NBINS = (MAX_LOG - MIN_LOG) * BINS_PER_DECADE;
/** Longest gaps kept per topic. */
export const MAX_GAPS_KEPT = 20;
/** Candidate gaps buffered before pruning to the longest. */
const GAP_BUFFER = 200;

function bin(period: number): number {
  if (period <= 0) return 0;
  const b = Math.floor((Math.log10(period) - MIN_LOG) * BINS_PER_DECADE);
  return b < 0 ? 0 : b >= NBINS ? NBINS - 1 : b;
}
function binCentre(b: number): number {
  return Math.pow(10, MIN_LOG + (b + 0.5) / BINS_PER_DECADE);
}

/** Online timing statistics of one topic (times in seconds). */
export class TopicTiming {
  count = 0;
  firstT = NaN;
  lastT = NaN;
  outOfOrder = 0;
  /** Messages per whole second of time, keyed by `floor(t)`. */
  readonly perSecond = new Map<number, number>();
  private readonly hist = new Uint32Array(NBINS);
  private periods = 0;
  private gaps: Gap[] = [];
  private gapFloor = 0;
  private medianCache = NaN;
  private nextMedianAt = 8;

  /** Records one message at time `t`; returns the period since the previous one (NaN for the first). */
  add(t: number): number {
    const key = Math.floor(t);
    this.perSecond.set(key, (this.perSecond.get(key) ?? 0) + 1);
    this.count++;
    if (this.count === 1) {
      this.firstT = t;
      this.lastT = t;
      return NaN;
    }
    const period = t - this.lastT;
    if (period < 0) {
      this.outOfOrder++;
      if (t < this.firstT) this.firstT = t;
      return NaN;
    }
    this.hist[bin(period)]! += 1;
    this.periods++;
    if (this.periods >= this.nextMedianAt) {
      this.medianCache = this.medianPeriod() ?? NaN;
      this.nextMedianAt = Math.min(this.nextMedianAt * 2, this.nextMedianAt + 4096);
    }
    // Keep candidate gaps: anything well above the running median.
    const floor = Number.isNaN(this.medianCache) ? 0 : 2 * this.medianCache;
    if (period > floor && period > this.gapFloor) {
      this.gaps.push({ start_s: this.lastT, duration_s: period });
      if (this.gaps.length > GAP_BUFFER) this.pruneGaps();
    }
    this.lastT = t;
    return period;
  }

  private pruneGaps(): void {
    this.gaps.sort((a, b) => b.duration_s - a.duration_s);
    this.gaps.length = MAX_GAPS_KEPT;
    this.gapFloor = this.gaps[MAX_GAPS_KEPT - 1]?.duration_s ?? 0;
  }

  /** Running median period, NaN until a few periods are seen (cheap; cached). */
  typicalPeriod(): number {
    return this.medianCache;
  }

  /** Median period from the histogram (±1.2 %), null with no periods. */
  medianPeriod(): number | null {
    if (this.periods === 0) return null;
    const half = this.periods / 2;
    let seen = 0;
    for (let b = 0; b < NBINS; b++) {
      seen += this.hist[b]!;
      if (seen >= half) return binCentre(b);
    }
    return null;
  }

  /** Number of periods longer than `threshold` seconds (histogram resolution). */
  countAbove(threshold: number): number {
    let n = 0;
    for (let b = bin(threshold) + 1; b < NBINS; b++) n += this.hist[b]!;
    // The threshold's own bin: count only the exact gaps we kept.
    return n + this.gaps.filter((g) => g.duration_s > threshold && bin(g.duration_s) === bin(threshold)).length;
  }

  /** The longest gaps above `threshold`, longest first (bounded). */
  largestGaps(threshold: number): Gap[] {
    return this.gaps
      .filter((g) => g.duration_s > threshold)
      .sort((a, b) => b.duration_s - a.duration_s)
      .slice(0, MAX_GAPS_KEPT);
  }
}
