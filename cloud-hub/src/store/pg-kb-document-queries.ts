/** SQL of PgKbDocumentStore (tables from migrations/0006). Vector SQL lives in retrieval/pg-retrieval-queries.ts. */
export const DOC_SQL = {
  upsertDocument: `INSERT INTO kb_documents (id, kind, title, platforms, fault_codes, cause_ids, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())
    ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, platforms = EXCLUDED.platforms, fault_codes = EXCLUDED.fault_codes,
      cause_ids = EXCLUDED.cause_ids, body = EXCLUDED.body, updated_at = now()`,
  documents: `SELECT id, kind, title, platforms, fault_codes, cause_ids, body FROM kb_documents ORDER BY id`,
  document: `SELECT id, kind, title, platforms, fault_codes, cause_ids, body FROM kb_documents WHERE id = $1`,
  deleteDocument: `DELETE FROM kb_documents WHERE id = $1`,
  upsertCase: `INSERT INTO kb_cases (id, vin, platform, firmware, fault_code, cause_id, summary, confirmed_by, confirmed_at)
    VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, COALESCE($9::timestamptz, now()))
    ON CONFLICT (id) DO UPDATE SET vin = EXCLUDED.vin, platform = EXCLUDED.platform, firmware = EXCLUDED.firmware, fault_code = EXCLUDED.fault_code,
      cause_id = EXCLUDED.cause_id, summary = EXCLUDED.summary, confirmed_by = EXCLUDED.confirmed_by, confirmed_at = EXCLUDED.confirmed_at`,
  cases: `SELECT id, vin, platform, firmware, fault_code, cause_id, summary, confirmed_by, to_char(confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS confirmed_at FROM kb_cases ORDER BY id`,
  case: `SELECT id, vin, platform, firmware, fault_code, cause_id, summary, confirmed_by, to_char(confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS confirmed_at FROM kb_cases WHERE id = $1`,
  deleteCase: `DELETE FROM kb_cases WHERE id = $1`,
  upsertLink: `INSERT INTO kb_links (from_code, to_code, relation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
  links: `SELECT from_code, to_code, relation FROM kb_links ORDER BY from_code, to_code`,
  deleteLink: `DELETE FROM kb_links WHERE from_code = $1 AND to_code = $2 AND relation = $3`,
  passageIds: `SELECT id FROM kb_passages`,
  passageCount: `SELECT count(*)::int AS n FROM kb_passages`,
  upsertPassage: `INSERT INTO kb_passages (id, source_kind, source_id, fault_codes, cause_ids, platforms, title, body, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
    ON CONFLICT (id) DO UPDATE SET source_kind = EXCLUDED.source_kind, source_id = EXCLUDED.source_id, fault_codes = EXCLUDED.fault_codes,
      cause_ids = EXCLUDED.cause_ids, platforms = EXCLUDED.platforms, title = EXCLUDED.title, body = EXCLUDED.body, updated_at = now(),
      embedding = CASE WHEN kb_passages.title = EXCLUDED.title AND kb_passages.body = EXCLUDED.body THEN kb_passages.embedding END,
      embedding_model = CASE WHEN kb_passages.title = EXCLUDED.title AND kb_passages.body = EXCLUDED.body THEN kb_passages.embedding_model END
    WHERE kb_passages.title IS DISTINCT FROM EXCLUDED.title OR kb_passages.body IS DISTINCT FROM EXCLUDED.body
      OR kb_passages.platforms IS DISTINCT FROM EXCLUDED.platforms OR kb_passages.fault_codes IS DISTINCT FROM EXCLUDED.fault_codes
      OR kb_passages.cause_ids IS DISTINCT FROM EXCLUDED.cause_ids`,
  deletePassages: `DELETE FROM kb_passages WHERE id = ANY($1::text[])`,
} as const;
