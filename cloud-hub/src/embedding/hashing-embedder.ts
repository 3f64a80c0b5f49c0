/**
 * Deterministic offline embedder: feature hashing ("the hashing trick") of
 * words and character n-grams into a fixed-size signed vector, L2-normalised.
 * No model files, no network; similar wording gives similar vectors, which
 * is all the offline fallback promises.
 */
import { normalise, type Embedder } from './embedder.js';

/** Default dimensionality, equal to all-MiniLM-L6-v2's so the column fits both. */
export const HASHING_DIMS = 384;

const STOP = new Set('a an and are as at be by for from has have in is it its of on or that the this to was were with when while after before not no'.split(' '));

/** 32-bit FNV-1a hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Lower-case word tokens (letters, digits, dots and underscores inside words, e.g. `0x8004`, `3.2.1`). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+(?:[._][a-z0-9]+)*/g) ?? []).filter((w) => !STOP.has(w));
}

/** Feature-hashing embedder; `model` is `hashing-v1-<dims>` (plus `-n<k>` for a non-default n-gram length). */
export class HashingEmbedder implements Embedder {
  readonly model: string;
  constructor(readonly dims = HASHING_DIMS, private readonly ngram = 3) {
    this.model = `hashing-v1-${dims}${ngram === 3 ? '' : `-n${ngram}`}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** Synchronous single-text variant (pure). */
  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dims);
    const add = (feature: string, w: number) => {
      const h = fnv1a(feature);
      v[h % this.dims] = v[h % this.dims]! + ((h >>> 31) & 1 ? -w : w);
    };
    const ws = words(text);
    for (const w of ws) {
      add(`w:${w}`, 1);
      const padded = `#${w}#`;
      for (let i = 0; i + this.ngram <= padded.length; i++) add(`c:${padded.slice(i, i + this.ngram)}`, 0.35);
    }
    for (let i = 0; i + 1 < ws.length; i++) add(`b:${ws[i]} ${ws[i + 1]}`, 0.5);
    return normalise(v);
  }
}
