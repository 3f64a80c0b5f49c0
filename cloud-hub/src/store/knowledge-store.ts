import type { KnowledgeBase } from '../kb/knowledge-base.js';

/** The knowledge base of faults and causes. Implementation: PgKnowledgeStore. */
export interface KnowledgeStore {
  /** Inserts or replaces every fault (and its causes) of `kb`. */
  upsert(kb: KnowledgeBase): Promise<{ faults: number; causes: number }>;
  /** The whole knowledge base as diagnosis reads it. */
  load(): Promise<KnowledgeBase>;
  /** Number of faults stored. */
  count(): Promise<number>;
}
