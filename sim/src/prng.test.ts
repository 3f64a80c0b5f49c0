import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, Rng } from './prng.js';

describe('prng', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('derives independent seeds per label', () => {
    expect(deriveSeed(1, 'topic:/imu/data')).toBe(deriveSeed(1, 'topic:/imu/data'));
    expect(deriveSeed(1, 'topic:/imu/data')).not.toBe(deriveSeed(1, 'topic:/gnss/fix'));
    expect(deriveSeed(1, 'x')).not.toBe(deriveSeed(2, 'x'));
  });

  it('draws normals with about the requested mean and spread', () => {
    const rng = new Rng(7);
    const xs = Array.from({ length: 20_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('makes version-4-shaped UUIDs', () => {
    const rng = new Rng(3);
    const ids = new Set(Array.from({ length: 100 }, () => rng.uuid()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
