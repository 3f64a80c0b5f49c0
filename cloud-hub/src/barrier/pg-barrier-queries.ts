/**
 * The Postgres barrier, in one statement. It counts only ledger rows (`chunks`)
 * that the batch's manifest lists and moves the batch `pending|uploading →
 * uploaded` in one conditional UPDATE. Batches already past `uploading` skip the
 * count (the `target` CTE is empty). Under READ COMMITTED a concurrent second
 * UPDATE blocks on the row, re-checks the WHERE clause after the first commits
 * (state is now 'uploaded') and matches nothing — so exactly one caller gets a
 * row back. The `uploaded` event is written in the same statement, and an event
 * whose chunk id is already in the ledger under another sha256 never fires.
 *
 * $1 batch id; $2 file id, $3 chunk index, $4 sha256 (all NULL for a manifest).
 */
export const FIRE_SQL = `
WITH target AS (
  SELECT batch_id, chunks_expected, manifest FROM batches
   WHERE batch_id = $1::uuid AND state IN ('pending', 'uploading') AND chunks_expected IS NOT NULL
), cnt AS (
  SELECT count(*)::int AS n FROM target t
    CROSS JOIN LATERAL jsonb_to_recordset(t.manifest->'files') AS f(file_id text, chunk_count int)
    JOIN chunks c ON c.batch_id = t.batch_id AND c.file_id = f.file_id AND c.chunk_index < f.chunk_count
), fired AS (
  UPDATE batches b SET state = 'uploaded', chunks_stored = cnt.n, updated_at = now()
    FROM target t, cnt
   WHERE b.batch_id = t.batch_id AND b.state IN ('pending', 'uploading') AND cnt.n >= t.chunks_expected
     AND NOT EXISTS (SELECT 1 FROM chunks x WHERE x.batch_id = $1::uuid AND x.file_id = $2::text AND x.chunk_index = $3::int AND x.sha256 <> $4::text)
  RETURNING cnt.n
), event AS (
  INSERT INTO batch_events (batch_id, state, detail)
  SELECT $1::uuid, 'uploaded', jsonb_build_object('chunks', n) FROM fired
)
SELECT (SELECT n FROM fired) AS fired_n,
       (SELECT state FROM batches WHERE batch_id = $1::uuid) AS state,
       EXISTS (SELECT 1 FROM chunks x WHERE x.batch_id = $1::uuid AND x.file_id = $2::text AND x.chunk_index = $3::int AND x.sha256 <> $4::text) AS conflict`;

/** Name under which connections keep FIRE_SQL prepared (planning it costs more than running it). */
export const FIRE_STATEMENT = 'argus_barrier_fire';

/**
 * FIRE_SQL for a group of chunk events at once (PgBarrier groups concurrent
 * `record` calls): the same count and conditional UPDATE, per distinct batch of
 * the group that has at least one event without a sha256 conflict. One row per
 * event, in input order: its conflict flag, whether its batch fired in this
 * statement, and the batch's state before it.
 *
 * $1 batch ids, $2 file ids, $3 chunk indexes, $4 sha256s (one element per event).
 */
export const FIRE_MANY_SQL = `
WITH ev AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[]) WITH ORDINALITY AS t(batch_id, file_id, chunk_index, sha256, ord)
), evc AS (
  SELECT ev.*, EXISTS (SELECT 1 FROM chunks x WHERE x.batch_id = ev.batch_id AND x.file_id = ev.file_id
                         AND x.chunk_index = ev.chunk_index AND x.sha256 <> ev.sha256) AS conflict FROM ev
), target AS (
  SELECT b.batch_id, b.chunks_expected, b.manifest FROM batches b
   WHERE b.batch_id IN (SELECT batch_id FROM evc WHERE NOT conflict) AND b.state IN ('pending', 'uploading') AND b.chunks_expected IS NOT NULL
), cnt AS (
  SELECT t.batch_id, count(*)::int AS n FROM target t
    CROSS JOIN LATERAL jsonb_to_recordset(t.manifest->'files') AS f(file_id text, chunk_count int)
    JOIN chunks c ON c.batch_id = t.batch_id AND c.file_id = f.file_id AND c.chunk_index < f.chunk_count
   GROUP BY t.batch_id
), fired AS (
  UPDATE batches b SET state = 'uploaded', chunks_stored = cnt.n, updated_at = now()
    FROM target t JOIN cnt ON cnt.batch_id = t.batch_id
   WHERE b.batch_id = t.batch_id AND b.state IN ('pending', 'uploading') AND cnt.n >= t.chunks_expected
  RETURNING b.batch_id, cnt.n
), event AS (
  INSERT INTO batch_events (batch_id, state, detail)
  SELECT batch_id, 'uploaded', jsonb_build_object('chunks', n) FROM fired
)
SELECT evc.ord::int AS ord, evc.conflict, (f.batch_id IS NOT NULL) AS fired, b.state
  FROM evc LEFT JOIN fired f ON f.batch_id = evc.batch_id
  -- by key for each event (a plain join scans all of batches)
  LEFT JOIN LATERAL (SELECT state FROM batches WHERE batch_id = evc.batch_id LIMIT 1) b ON true
 ORDER BY evc.ord`;

/** Name under which connections keep FIRE_MANY_SQL prepared. */
export const FIRE_MANY_STATEMENT = 'argus_barrier_fire_many';
