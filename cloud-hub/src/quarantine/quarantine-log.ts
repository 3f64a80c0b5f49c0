import type pg from 'pg';
import type { QuarantineNotice, QuarantineRecord } from '@argus/shared';

/**
 * Recordings vehicles set aside instead of uploading, as they reported them.
 * Implementation: PgQuarantineLog (migrations/0013).
 */
export interface QuarantineLog {
  /** Records a notice; a vehicle re-reporting the same recording updates it (`duplicate: true`). */
  record(n: QuarantineNotice): Promise<{ duplicate: boolean }>;
  /** Newest first, optionally one vehicle's. */
  list(opts: { vin?: string; limit: number }): Promise<QuarantineRecord[]>;
}

const TS = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ROW = `vin, recording_name, recording_bytes::float8 AS recording_bytes, code, reason, quarantined_at, ${TS('received_at')} AS received_at, reports`;

const SQL = {
  // xmax = 0 only on a freshly inserted row: tells a first report from a repeat in one statement.
  record: `INSERT INTO vehicle_quarantines (vin, recording_name, recording_bytes, code, reason, quarantined_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (vin, recording_name) DO UPDATE SET recording_bytes = EXCLUDED.recording_bytes, code = EXCLUDED.code, reason = EXCLUDED.reason,
      quarantined_at = EXCLUDED.quarantined_at, received_at = now(), reports = vehicle_quarantines.reports + 1
    RETURNING (xmax = 0) AS inserted`,
  list: `SELECT ${ROW} FROM vehicle_quarantines WHERE ($1::text IS NULL OR vin = $1) ORDER BY received_at DESC, vin, recording_name LIMIT $2`,
} as const;

/** QuarantineLog on Postgres. */
export class PgQuarantineLog implements QuarantineLog {
  constructor(private readonly pool: pg.Pool) {}

  async record(n: QuarantineNotice): Promise<{ duplicate: boolean }> {
    const r = await this.pool.query<{ inserted: boolean }>(SQL.record, [n.vin, n.recording.name, n.recording.bytes, n.code, n.reason, n.at]);
    return { duplicate: !r.rows[0]?.inserted };
  }

  async list(opts: { vin?: string; limit: number }): Promise<QuarantineRecord[]> {
    const r = await this.pool.query<QuarantineRecord>(SQL.list, [opts.vin ?? null, opts.limit]);
    return r.rows;
  }
}
