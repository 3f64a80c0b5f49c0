/**
 * The embedding contract: texts in, unit-length vectors out. Every vector is
 * stored with the `model` id that produced it, so a model change re-embeds.
 */

/** Turns texts into L2-normalised vectors of `dims` numbers. */
export interface Embedder {
  /** Stable id of the model and its settings, stored beside every vector. */
  readonly model: string;
  /** Length of every vector. */
  readonly dims: number;
  /** Embeds a batch of texts; the result has one vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Error with a stable code raised by embedders. */
export class EmbeddingError extends Error {
  constructor(readonly code: 'EMBEDDER_UNAVAILABLE' | 'EMBEDDING_DIMS', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddingError';
  }
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

/** Cosine similarity of two unit vectors (their dot product). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * (b[i] ?? 0);
  return s;
}
