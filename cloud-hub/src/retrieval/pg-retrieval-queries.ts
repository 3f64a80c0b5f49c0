/**
 * All pgvector SQL of Argus: embedding bookkeeping on kb_passages, the HNSW
 * index, and the filtered vector and full-text searches. Filters are the
 * same in both searches (see {@link FILTER}).
 */

/** Parameters $2..$5 of both searches: platform, fault codes, allowed cause ids, source kinds (NULL = no filter). */
const FILTER = `($2::text IS NULL OR cardinality(platforms) = 0 OR $2 = ANY(platforms))
  AND ($3::text[] IS NULL OR fault_codes && $3::text[])
  AND ($4::text[] IS NULL OR cardinality(cause_ids) = 0 OR cause_ids && $4::text[])
  AND ($5::text[] IS NULL OR source_kind = ANY($5::text[]))`;

/** Vector text literal for pgvector (`[0.1,0.2,…]`). */
export const toVectorLiteral = (v: ArrayLike<number>): string => `[${Array.from(v, (x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;

export const RETRIEVAL_SQL = {
  /** Passages without an embedding from `$1` (model id), oldest first. */
  pendingEmbeddings: `SELECT id, title, body FROM kb_passages WHERE embedding IS NULL OR embedding_model IS DISTINCT FROM $1 ORDER BY updated_at, id LIMIT $2`,
  countPending: `SELECT count(*)::int AS n FROM kb_passages WHERE embedding IS NULL OR embedding_model IS DISTINCT FROM $1`,
  /** $1 ids, $2 vector literals, $3 model id; only rows whose text is unchanged since they were read ($4 titles+bodies md5). */
  setEmbeddings: `UPDATE kb_passages p SET embedding = v.e::vector, embedding_model = $3
    FROM unnest($1::text[], $2::text[], $4::text[]) AS v(id, e, h) WHERE p.id = v.id AND md5(p.title || p.body) = v.h`,
  /** Created after the bulk load (building HNSW on a filled table is faster and better connected). */
  createHnsw: `CREATE INDEX IF NOT EXISTS kb_passages_embedding_hnsw ON kb_passages USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`,
  /**
   * Relaxed-order iterative scan: HNSW keeps scanning until enough rows pass the filters,
   * so a selective filter never starves the result (pgvector ≥ 0.8). SET LOCAL: this transaction only.
   */
  iterativeScan: `SET LOCAL hnsw.iterative_scan = relaxed_order`,
  efSearch: `SET LOCAL hnsw.ef_search = 100`,
  /** $1 query vector, $2..$5 filters, $6 model id, $7 limit. */
  vectorSearch: `SELECT id, 1 - (embedding <=> $1::vector) AS score FROM kb_passages
    WHERE embedding IS NOT NULL AND embedding_model = $6 AND ${FILTER}
    ORDER BY embedding <=> $1::vector LIMIT $7`,
  /** $1 tsquery text (`a | b | c`), $2..$5 filters, $6 limit. ts_rank normalised by log(length). */
  textSearch: `SELECT id, ts_rank(tsv, q, 1) AS score FROM kb_passages, to_tsquery('english', $1) AS q
    WHERE tsv @@ q AND ${FILTER} ORDER BY score DESC, id LIMIT $6`,
  passages: `SELECT id, source_kind, source_id, fault_codes, cause_ids, platforms, title, body FROM kb_passages WHERE id = ANY($1::text[])`,
  causes: `SELECT id, fault_code, platforms, firmware_component, affected_versions FROM kb_causes`,
} as const;
