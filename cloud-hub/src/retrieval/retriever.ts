/**
 * The retrieval contract used by the supervisor: a query about one vehicle
 * in, ranked knowledge-base passages out, each saying its scores and why it matched.
 */
import type { VehicleScope } from './filters.js';
import type { Passage } from '../kb/passages.js';

/** How hits are ranked: fused (hybrid), or one signal alone (baselines). */
export type RetrievalMode = 'hybrid' | 'vector' | 'text';

/** One retrieval request. */
export interface RetrievalQuery {
  text: string;
  /** The vehicle; its platform and firmware are hard filters unless `filters` is false. */
  vehicle?: VehicleScope;
  /** Only passages about these fault codes (when known). */
  codes?: string[];
  /** Only these source kinds. */
  kinds?: ('fault' | 'cause' | 'document' | 'case')[];
  /** Number of hits (default 8). */
  k?: number;
  mode?: RetrievalMode;
  /** Apply the platform/firmware hard filters (default true; false only for baselines). */
  filters?: boolean;
}

/** A passage as stored: the same shape the KB builds (kb/passages.ts). */
export type PassageRow = Passage;

/** One ranked hit. */
export interface RetrievalHit {
  passage: PassageRow;
  /** Fused score (RRF for hybrid; the single signal's score otherwise). */
  score: number;
  scores: { vector?: number; text?: number; vector_rank?: number; text_rank?: number; rrf?: number };
  /** Human-readable reasons: filters passed, which signals ranked it. */
  why: string[];
}

/** Retrieval tuning (RRF k and list weights, candidate depth). */
export interface RetrievalTuning {
  rrfK: number;
  vectorWeight: number;
  textWeight: number;
  /** Candidates taken from each list before fusion. */
  depth: number;
}

/** Default tuning. */
export const DEFAULT_TUNING: RetrievalTuning = { rrfK: 60, vectorWeight: 1, textWeight: 1, depth: 40 };

/** Answers retrieval queries. Implementation: PgHybridRetriever. */
export interface Retriever {
  search(q: RetrievalQuery): Promise<RetrievalHit[]>;
}
