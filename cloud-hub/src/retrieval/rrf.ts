/**
 * Reciprocal Rank Fusion (Cormack, Clarke & Büttcher, SIGIR 2009):
 * score(d) = Σ_lists weight / (k + rank(d)), ranks from 1. Pure.
 */

/** One ranked list to fuse (best first). */
export interface RankedList {
  name: string;
  ids: string[];
  /** Weight of this list (default 1). */
  weight?: number;
}

/** A fused entry: its RRF score and its rank (1-based) in each list where it appears. */
export interface Fused {
  id: string;
  score: number;
  ranks: Record<string, number>;
}

/** Default k of RRF; larger k flattens the advantage of the very first ranks. */
export const RRF_K = 60;

/**
 * Fuses ranked lists, best first; ties broken by id for determinism.
 * @example rrf([{ name: 'vector', ids: ['a', 'b'] }, { name: 'text', ids: ['b'] }])[0].id // 'b'
 */
export function rrf(lists: RankedList[], k = RRF_K): Fused[] {
  const by = new Map<string, Fused>();
  for (const l of lists) {
    const w = l.weight ?? 1;
    l.ids.forEach((id, i) => {
      const f = by.get(id) ?? { id, score: 0, ranks: {} };
      if (f.ranks[l.name] !== undefined) return;
      f.ranks[l.name] = i + 1;
      f.score += w / (k + i + 1);
      by.set(id, f);
    });
  }
  return [...by.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
