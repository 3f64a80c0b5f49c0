import { describe, expect, it } from 'vitest';
import { QuantileSketch } from './field-stats.js';
import { GroupedTracker, intersectIntervals, IntervalTracker, unionIntervals } from './intervals.js';

const iv = (start_s: number, end_s: number, count = 1) => ({ start_s, end_s, count });

describe('IntervalTracker (sample-and-hold)', () => {
  it('opens on the first holding sample and closes at the first sample that does not hold', () => {
    const tr = new IntervalTracker();
    [false, true, true, true, false, false, true].forEach((h, i) => tr.update(i, h, 10, 1));
    tr.finish(1);
    expect(tr.intervals).toEqual([iv(1, 4, 3), iv(6, 7, 1)]);
    expect(tr.longestS).toBe(3);
    expect(tr.totalS).toBe(4);
    expect(tr.matchCount).toBe(4);
  });

  it('closes at the last sample plus one period when the topic goes silent', () => {
    const tr = new IntervalTracker();
    tr.update(0, true, 5, 1);
    tr.update(1, true, 5, 1);
    tr.update(20, true, 5, 1); // 19 s of silence
    tr.update(21, false, 5, 1);
    expect(tr.intervals).toEqual([iv(0, 2, 2), iv(20, 21, 1)]);
  });
});

describe('interval algebra', () => {
  it('intersects, sharing sample counts by length', () => {
    expect(intersectIntervals([iv(0, 10, 10), iv(20, 30, 10)], [iv(5, 25)])).toEqual([iv(5, 10, 5), iv(20, 25, 5)]);
    expect(intersectIntervals([iv(0, 10, 10)], [])).toEqual([]);
    expect(intersectIntervals([iv(0, 10, 10)], [iv(10, 20)])).toEqual([]);
  });

  it('unions overlapping intervals', () => {
    expect(unionIntervals([[iv(0, 5, 2), iv(10, 12, 1)], [iv(4, 8, 3)]])).toEqual([iv(0, 8, 5), iv(10, 12, 1)]);
  });

  it('tracks groups separately and reads back their union', () => {
    const g = new GroupedTracker();
    for (let i = 0; i < 10; i++) {
      g.update('pt', i, i >= 2 && i < 8, 10, 1);
      g.update('chassis', i + 0.5, false, 10, 1);
    }
    g.finish(1);
    expect(g.intervals).toEqual([iv(2, 8, 6)]);
    expect(g.longestS).toBe(6);
    expect(g.matchCount).toBe(6);
  });
});

describe('QuantileSketch', () => {
  it('estimates p99 within 2 % on a skewed, signed sample', () => {
    const s = new QuantileSketch();
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) values.push(i % 100 === 0 ? -50 : Math.pow(i / 10_000, 3) * 1000);
    values.forEach((v) => s.add(v));
    const sorted = [...values].sort((a, b) => a - b);
    const exact = sorted[Math.floor(0.99 * (sorted.length - 1))]!;
    expect(Math.abs(s.quantile(0.99) - exact) / exact).toBeLessThan(0.02);
    expect(s.quantile(0)).toBeCloseTo(-50, -1);
  });
});
