/**
 * Bounded statistics of one numeric field: min, max, mean, first/last and a
 * p99 from a logarithmic-bucket quantile sketch (the DDSketch idea: relative
 * accuracy `alpha`, memory bounded by the value range, not the sample count).
 */
import type { FieldStats } from './features.js';

const ALPHA = 0.02;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const INV_LN_GAMMA = 1 / Math.log(GAMMA);
/** Magnitudes below this count as zero. */
const ZERO = 1e-12;

/** Quantile sketch with ~2 % relative error. */
export class QuantileSketch {
  private readonly pos = new Map<number, number>();
  private readonly neg = new Map<number, number>();
  private zero = 0;
  private n = 0;
  private lastV = NaN;
  private lastKey = 0;
  private lastMap: Map<number, number> | null = null;

  /** Adds one finite value. */
  add(v: number): void {
    this.n++;
    if (v === this.lastV && this.lastMap) {
      this.lastMap.set(this.lastKey, (this.lastMap.get(this.lastKey) ?? 0) + 1);
      return;
    }
    const a = Math.abs(v);
    if (a < ZERO) {
      this.zero++;
      this.lastMap = null;
      return;
    }
    const key = Math.ceil(Math.log(a) * INV_LN_GAMMA);
    const m = v > 0 ? this.pos : this.neg;
    m.set(key, (m.get(key) ?? 0) + 1);
    this.lastV = v;
    this.lastKey = key;
    this.lastMap = m;
  }

  /** The q-quantile (0..1), NaN when empty. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const rank = q * (this.n - 1);
    let seen = 0;
    const value = (key: number): number => (2 * Math.pow(GAMMA, key)) / (GAMMA + 1);
    for (const key of [...this.neg.keys()].sort((x, y) => y - x)) {
      seen += this.neg.get(key) ?? 0;
      if (seen > rank) return -value(key);
    }
    seen += this.zero;
    if (seen > rank) return 0;
    const keys = [...this.pos.keys()].sort((x, y) => x - y);
    for (const key of keys) {
      seen += this.pos.get(key) ?? 0;
      if (seen > rank) return value(key);
    }
    const top = keys[keys.length - 1];
    return top === undefined ? 0 : value(top);
  }
}

/** Running statistics of one field. */
export class FieldAccumulator {
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  first = NaN;
  last = NaN;
  firstT = NaN;
  lastT = NaN;
  private readonly sketch = new QuantileSketch();

  /** Adds one finite value seen at time `t`. */
  add(v: number, t: number): void {
    if (this.count === 0) {
      this.first = v;
      this.firstT = t;
    }
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.sum += v;
    this.last = v;
    this.lastT = t;
    this.sketch.add(v);
  }

  /** The statistics, with times shifted by `dt`; null when no value was seen. */
  result(dt: number): FieldStats | null {
    if (this.count === 0) return null;
    const p99 = Math.min(this.max, Math.max(this.min, this.sketch.quantile(0.99)));
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      mean: this.sum / this.count,
      p99: Number(p99.toPrecision(6)),
      first: this.first,
      last: this.last,
      first_s: round6(this.firstT + dt),
      last_s: round6(this.lastT + dt),
    };
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
