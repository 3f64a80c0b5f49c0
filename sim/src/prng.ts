/**
 * Seeded pseudo-random numbers for the simulator. Every random choice in a
 * drive flows from one seed, so the same seed gives byte-identical files.
 */

/** A stream of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, good enough for signal noise and scenario
 * choices (not for cryptography).
 *
 * @example
 * const next = mulberry32(42); next(); // 0.6011…
 */
export function mulberry32(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a label mixed with a seed: derives independent sub-seeds. */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche so that nearby labels give unrelated seeds.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** Convenience wrapper around a {@link RandomSource} with the draws the models need. */
export class Rng {
  readonly #next: RandomSource;
  #spare: number | undefined;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** A child generator whose stream depends only on this seed and `label`. */
  static derive(seed: number, label: string): Rng {
    return new Rng(deriveSeed(seed, label));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.#next();
  }

  /** Integer uniform in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return Math.floor(this.uniform(min, max + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#next() < p;
  }

  /** Normal draw (Box–Muller, caching the second value). */
  normal(mean = 0, sd = 1): number {
    if (this.#spare !== undefined) {
      const z = this.#spare;
      this.#spare = undefined;
      return mean + sd * z;
    }
    let u = this.#next();
    while (u <= Number.EPSILON) u = this.#next();
    const v = this.#next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** A version-4-shaped UUID built from this stream (deterministic, not secure). */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 32; i++) hex.push(Math.floor(this.#next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
