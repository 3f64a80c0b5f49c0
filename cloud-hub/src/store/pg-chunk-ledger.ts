import type pg from 'pg';
import type { ChunkEnvelope } from '@argus/shared';
import { GroupedCall } from '../db/grouped-call.js';
import { queryPrepared } from '../db/prepared-query.js';
import type { RecordChunkResult } from './batch-store.js';

/**
 * Grouped statements of the chunk ledger: every statement takes arrays
 * (one element per chunk of the group), so a group costs the same few round
 * trips as one chunk.
 */
export const LEDGER_SQL = {
  /** $1 batch ids, $2 vins (one per distinct batch): creates batches that early chunks reach before their manifest. */
  ensureBatches: `INSERT INTO batches (batch_id, vin, state) SELECT b, v, 'pending' FROM unnest($1::uuid[], $2::text[]) AS t(b, v)
    ON CONFLICT (batch_id) DO NOTHING`,
  /**
   * Inserts the group's rows (insert-on-conflict: a chunk id already in the
   * ledger is skipped) and adds the number actually inserted to each batch's
   * `chunks_stored` in the same statement — incremental, no recount.
   */
  insertChunks: `WITH input AS (
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::text[])
        AS t(batch_id, file_id, chunk_index, topic, sha256, byte_length, raw_length, rows, object_key)
    ), ins AS (
      INSERT INTO chunks (batch_id, file_id, chunk_index, topic, sha256, byte_length, raw_length, rows, object_key)
      SELECT * FROM input ON CONFLICT DO NOTHING RETURNING batch_id, file_id, chunk_index
    ), upd AS (
      UPDATE batches b SET chunks_stored = b.chunks_stored + c.n, updated_at = now()
        FROM (SELECT batch_id, count(*)::int AS n FROM ins GROUP BY batch_id) c WHERE b.batch_id = c.batch_id
    )
    SELECT batch_id::text, file_id, chunk_index FROM ins`,
  /** $1 batch ids, $2 file ids, $3 indexes: the ledger's sha256 of chunk ids that were not inserted. */
  existing: `SELECT c.batch_id::text, c.file_id, c.chunk_index, c.sha256 FROM chunks c
    JOIN unnest($1::uuid[], $2::text[], $3::int[]) AS t(b, f, i) ON c.batch_id = t.b AND c.file_id = t.f AND c.chunk_index = t.i`,
} as const;

interface Pending {
  vin: string;
  e: ChunkEnvelope;
  objectKey: string;
}

// Batch ids compare as uuids: the database answers them lower-case, a vehicle may send upper-case.
const keyOf = (batchId: string, fileId: string, index: number): string => `${batchId.toLowerCase()}/${fileId}/${index}`;

/**
 * Group commit for the chunk ledger. Chunks that arrive while a group is being
 * written wait and go together in the next group: one multi-row
 * insert-on-conflict for all of them (plus one statement creating missing
 * batches, and one fetching the stored sha256 of ids that were already there).
 * Each caller gets its own outcome — `stored`, `duplicate` (same sha256) or
 * `conflict` (another sha256, with the stored one) — and only after the
 * group's statements committed. Idle, a chunk is written at once (no timer).
 * Concurrent duplicates within one group: the first is inserted, the others
 * compare against it.
 */
export class PgChunkLedger {
  private readonly grouped = new GroupedCall<Pending, RecordChunkResult>((group) => this.write(group));

  constructor(private readonly pool: pg.Pool) {}

  /** Adds one chunk to the ledger (see the class comment). */
  record(vin: string, e: ChunkEnvelope, objectKey: string): Promise<RecordChunkResult> {
    return this.grouped.call({ vin, e, objectKey });
  }

  /** Writes one group and answers each of its chunks, in order. */
  private async write(group: Pending[]): Promise<RecordChunkResult[]> {
    const owners = new Map<string, string>();
    for (const p of group) if (!owners.has(p.e.batch_id)) owners.set(p.e.batch_id, p.vin);
    await queryPrepared(this.pool, 'argus_ledger_ensure', LEDGER_SQL.ensureBatches, [[...owners.keys()], [...owners.values()]]);

    // The first entry of each chunk id in the group is the one offered to the ledger.
    const first = new Map<string, number>();
    group.forEach((p, i) => {
      const k = keyOf(p.e.batch_id, p.e.file_id, p.e.chunk_index);
      if (!first.has(k)) first.set(k, i);
    });
    const offered = [...first.values()].map((i) => group[i]!);
    const col = <T>(f: (p: Pending) => T): T[] => offered.map(f);
    const ins = await queryPrepared<{ batch_id: string; file_id: string; chunk_index: number }>(this.pool, 'argus_ledger_insert', LEDGER_SQL.insertChunks, [
      col((p) => p.e.batch_id), col((p) => p.e.file_id), col((p) => p.e.chunk_index), col((p) => p.e.topic), col((p) => p.e.sha256),
      col((p) => p.e.byte_length), col((p) => p.e.raw_length), col((p) => p.e.rows), col((p) => p.objectKey),
    ]);
    const inserted = new Set(ins.rows.map((r) => keyOf(r.batch_id, r.file_id, r.chunk_index)));

    // The ledger's sha256 per chunk id: the inserted entry's, or the one stored before.
    const ledgerSha = new Map<string, string>();
    for (const k of inserted) ledgerSha.set(k, group[first.get(k)!]!.e.sha256);
    const missing = offered.filter((p) => !inserted.has(keyOf(p.e.batch_id, p.e.file_id, p.e.chunk_index)));
    if (missing.length > 0) {
      const ex = await queryPrepared<{ batch_id: string; file_id: string; chunk_index: number; sha256: string }>(this.pool, 'argus_ledger_existing', LEDGER_SQL.existing, [
        missing.map((p) => p.e.batch_id), missing.map((p) => p.e.file_id), missing.map((p) => p.e.chunk_index),
      ]);
      for (const r of ex.rows) ledgerSha.set(keyOf(r.batch_id, r.file_id, r.chunk_index), r.sha256);
    }

    return group.map((p, i): RecordChunkResult => {
      const k = keyOf(p.e.batch_id, p.e.file_id, p.e.chunk_index);
      if (inserted.has(k) && first.get(k) === i) return { outcome: 'stored' };
      const sha = ledgerSha.get(k);
      if (sha === undefined) throw new Error(`chunk ledger: ${k} neither inserted nor found`);
      return sha === p.e.sha256 ? { outcome: 'duplicate' } : { outcome: 'conflict', existingSha256: sha };
    });
  }
}
