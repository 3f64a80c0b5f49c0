/** Every SQL statement of PgBatchStore, in one place. */
const BATCH_COLUMNS = `batch_id::text, vin, platform, state, manifest, chunks_expected, chunks_stored, reason, retries,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

export const SQL = {
  upsertVehicle: `INSERT INTO vehicles (vin, vehicle_id, platform, firmware, last_seen_at) VALUES ($1, $2, $3, $4::jsonb, now())
    ON CONFLICT (vin) DO UPDATE SET vehicle_id = EXCLUDED.vehicle_id, platform = EXCLUDED.platform, firmware = EXCLUDED.firmware, last_seen_at = now()`,
  // A manifest lands once: on a new batch, or on one created by early chunks (no manifest yet).
  putManifest: `INSERT INTO batches (batch_id, vin, platform, state, manifest, chunks_expected) VALUES ($1, $2, $3, 'uploading', $4::jsonb, $5)
    ON CONFLICT (batch_id) DO UPDATE SET platform = EXCLUDED.platform, manifest = EXCLUDED.manifest,
      chunks_expected = EXCLUDED.chunks_expected, state = 'uploading', updated_at = now()
    WHERE batches.manifest IS NULL AND batches.vin = EXCLUDED.vin AND batches.state IN ('pending', 'uploading')
    RETURNING batch_id`,
  insertChunk: `INSERT INTO chunks (batch_id, file_id, chunk_index, topic, sha256, byte_length, raw_length, rows, object_key)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
  // Ingest writes the ledger in groups (pg-chunk-ledger.ts: multi-row insert, incremental chunks_stored); insertChunk is the one-row form.
  listChunks: `SELECT batch_id::text, file_id, chunk_index, topic, sha256, byte_length, raw_length, rows, object_key
    FROM chunks WHERE batch_id = $1 ORDER BY file_id, chunk_index`,
  // The barrier's statement lives in barrier/pg-barrier-queries.ts (PgBarrier).
  transition: `UPDATE batches SET state = $3, updated_at = now() WHERE batch_id = $1 AND state = ANY($2::text[])`,
  noteRetry: `UPDATE batches SET retries = retries + 1, updated_at = now() WHERE batch_id = $1`,
  fail: `UPDATE batches SET state = 'failed', reason = $2, updated_at = now() WHERE batch_id = $1`,
  getBatch: `SELECT ${BATCH_COLUMNS} FROM batches WHERE batch_id = $1`,
  // Grouped lookups (GroupedCall): many ids in one round trip.
  getBatches: `SELECT ${BATCH_COLUMNS} FROM batches WHERE batch_id = ANY($1::uuid[])`,
  /**
   * Per chunk id ($1 batch ids, $2 file ids, $3 indexes), in input order: its
   * batch's vin, state and manifest (NULL vin: no such batch) and its ledger
   * row (NULL sha256: not in the ledger). One row per id: both lookups are by
   * primary key. LATERAL with LIMIT 1 keeps them index lookups per id: as
   * plain LEFT JOINs the planner hashes a scan of all of `batches`.
   */
  chunkContexts: `SELECT b.vin, b.state, b.manifest, c.topic, c.sha256, c.byte_length, c.raw_length, c.rows, c.object_key
    FROM unnest($1::uuid[], $2::text[], $3::int[]) WITH ORDINALITY AS t(bid, fid, idx, ord)
    LEFT JOIN LATERAL (SELECT vin, state, manifest FROM batches WHERE batch_id = t.bid LIMIT 1) b ON true
    LEFT JOIN LATERAL (SELECT topic, sha256, byte_length, raw_length, rows, object_key FROM chunks
                        WHERE batch_id = t.bid AND file_id = t.fid AND chunk_index = t.idx LIMIT 1) c ON true
    ORDER BY t.ord`,
  listBatches: `SELECT ${BATCH_COLUMNS} FROM batches WHERE ($1::text IS NULL OR vin = $1) ORDER BY created_at DESC LIMIT $2`,
  insertEvent: `INSERT INTO batch_events (batch_id, state, detail) VALUES ($1, $2, $3::jsonb)`,
  listInFlight: `SELECT batch_id::text, state FROM batches WHERE state IN ('uploaded', 'gathering', 'gathered', 'diagnosing') ORDER BY updated_at LIMIT $1`,
  listEvents: `SELECT state, detail, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM batch_events WHERE batch_id = $1 ORDER BY id`,
  putFeatures: `INSERT INTO drive_features (batch_id, features) VALUES ($1, $2::jsonb) ON CONFLICT (batch_id) DO UPDATE SET features = EXCLUDED.features`,
  getFeatures: `SELECT features FROM drive_features WHERE batch_id = $1`,
  putReport: `INSERT INTO reports (report_id, batch_id, vin, status, report) VALUES ($1, $2, $3, $4, $5::jsonb)
    ON CONFLICT (batch_id) DO UPDATE SET report_id = EXCLUDED.report_id, status = EXCLUDED.status, report = EXCLUDED.report`,
  getReport: `SELECT report FROM reports WHERE batch_id = $1`,
  markDelivered: `UPDATE reports SET delivered_at = now() WHERE report_id = $1 AND vin = $2 AND delivered_at IS NULL`,
  listUndelivered: `SELECT report FROM reports WHERE vin = $1 AND delivered_at IS NULL ORDER BY created_at, report_id LIMIT $2`,
} as const;
