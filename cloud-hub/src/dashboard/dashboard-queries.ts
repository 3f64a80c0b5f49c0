/** Every SQL statement of the dashboard's read model, in one place. Paginated server side. */
const TS = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const DASHBOARD_SQL = {
  // $1 search (vin or vehicle id), $2 platform, $3 health, $4 limit, $5 offset
  vehicles: `WITH v AS (
      SELECT v.vin, v.vehicle_id, v.platform, v.firmware, ${TS('v.last_seen_at')} AS last_seen_at,
             lb.batch_id::text AS last_batch_id, ${TS('lb.created_at')} AS last_drive_at, lb.state AS last_state,
             COALESCE(lr.status, 'none') AS health, lr.report->'findings'->0->>'code' AS last_fault
        FROM vehicles v
        LEFT JOIN LATERAL (SELECT batch_id, created_at, state FROM batches b WHERE b.vin = v.vin ORDER BY created_at DESC LIMIT 1) lb ON true
        LEFT JOIN LATERAL (SELECT status, report FROM reports r WHERE r.vin = v.vin ORDER BY created_at DESC LIMIT 1) lr ON true
       WHERE ($1::text IS NULL OR v.vin ILIKE '%' || $1 || '%' OR v.vehicle_id ILIKE '%' || $1 || '%')
         AND ($2::text IS NULL OR v.platform = $2))
    SELECT *, count(*) OVER ()::int AS total FROM v WHERE ($3::text IS NULL OR health = $3)
    ORDER BY last_drive_at DESC NULLS LAST, vin LIMIT $4 OFFSET $5`,
  // $1 search (vin or batch id prefix), $2 state, $3 status, $4 fault code, $5 limit, $6 offset
  drives: `SELECT b.batch_id::text, b.vin, b.platform, b.state, b.chunks_stored, b.chunks_expected, b.reason,
           ${TS('b.created_at')} AS created_at, ${TS('b.updated_at')} AS updated_at,
           r.status, r.report->'findings'->0->>'code' AS fault_code, r.report->'findings'->0->>'name' AS fault_name,
           count(*) OVER ()::int AS total
      FROM batches b LEFT JOIN reports r ON r.batch_id = b.batch_id
     WHERE ($1::text IS NULL OR b.vin ILIKE '%' || $1 || '%' OR b.batch_id::text LIKE $1 || '%')
       AND ($2::text IS NULL OR b.state = $2)
       AND ($3::text IS NULL OR r.status = $3)
       AND ($4::text IS NULL OR r.report->'findings'->0->>'code' = $4)
     ORDER BY b.created_at DESC, b.batch_id LIMIT $5 OFFSET $6`,
  features: `SELECT features->'drive' AS drive, features->'series' AS series FROM drive_features WHERE batch_id = $1`,
  files: `SELECT file_id, min(topic) AS topic, count(*)::int AS chunks, sum(byte_length)::bigint::text AS bytes,
           sum(raw_length)::bigint::text AS raw_bytes, sum(rows)::bigint::text AS rows
      FROM chunks WHERE batch_id = $1 GROUP BY file_id ORDER BY file_id`,
  // Findings with a code, per time bucket ($1: hour/day/week), code, platform and the cause's firmware version; $2 since.
  faultsOverTime: `SELECT ${TS("date_trunc($1, r.created_at)")} AS bucket, f->>'code' AS code, r.report->>'platform' AS platform,
           kc.firmware_component AS component, b.manifest->'vehicle'->'firmware'->>kc.firmware_component AS version, count(*)::int AS n
      FROM reports r CROSS JOIN LATERAL jsonb_array_elements(r.report->'findings') f
      JOIN batches b ON b.batch_id = r.batch_id
      LEFT JOIN kb_causes kc ON kc.id = f->>'cause_id'
     WHERE f->>'code' IS NOT NULL AND r.created_at >= $2
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3`,
  // Cohorts: vehicles whose diagnosis names the same cause, with their platforms and affected firmware.
  cohorts: `SELECT f->>'cause_id' AS cause_id, f->>'code' AS code, min(kc.root_cause) AS root_cause, min(kc.firmware_component) AS component,
           count(DISTINCT r.vin)::int AS vehicles, count(*)::int AS drives,
           array_agg(DISTINCT r.report->>'platform') AS platforms,
           array_agg(DISTINCT COALESCE(b.manifest->'vehicle'->'firmware'->>kc.firmware_component, '?')) AS versions,
           (array_agg(DISTINCT r.vin))[1:50] AS vins
      FROM reports r CROSS JOIN LATERAL jsonb_array_elements(r.report->'findings') f
      JOIN batches b ON b.batch_id = r.batch_id
      LEFT JOIN kb_causes kc ON kc.id = f->>'cause_id'
     WHERE f->>'cause_id' IS NOT NULL
     GROUP BY 1, 2 ORDER BY vehicles DESC, drives DESC LIMIT 100`,
  summary: `SELECT (SELECT count(*)::int FROM vehicles) AS vehicles, (SELECT count(*)::int FROM batches) AS drives,
           (SELECT count(*)::int FROM reports WHERE status = 'fault') AS faults,
           (SELECT count(*)::int FROM batches WHERE state NOT IN ('diagnosed', 'failed')) AS in_flight,
           (SELECT count(*)::int FROM recommendations WHERE status = 'pending') AS pending_recommendations`,
} as const;
