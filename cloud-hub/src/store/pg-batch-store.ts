import type pg from 'pg';
import { manifestChunkCount, type BatchManifest, type BatchState, type ChunkEnvelope, type DiagnosisReport } from '@argus/shared';
import type { BatchRecord, BatchStore, ChunkContext, ChunkRecord, RecordChunkResult } from './batch-store.js';
import { SQL } from './pg-batch-queries.js';
import { PgBarrier } from '../barrier/pg-barrier.js';
import { PgChunkLedger } from './pg-chunk-ledger.js';
import { GroupedCall } from '../db/grouped-call.js';
import { queryPrepared } from '../db/prepared-query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A chunk id that can be in the tables (uuid and int columns), so cannot fail a grouped statement's casts for the others of its group. */
const groupable = (batchId: string, index: number): boolean => UUID.test(batchId) && Number.isSafeInteger(index) && Math.abs(index) < 2 ** 31;

/** BatchStore on Postgres (or embedded PGlite). The barrier is PgBarrier's one conditional UPDATE. */
export class PgBatchStore implements BatchStore {
  private readonly barrier: PgBarrier;
  private readonly ledger: PgChunkLedger;
  private readonly getGrouped = new GroupedCall<string, BatchRecord | null>(async (ids) => {
    const rows = (await queryPrepared<BatchRecord>(this.pool, 'argus_get_batches', SQL.getBatches, [ids])).rows;
    const byId = new Map(rows.map((r) => [r.batch_id, r]));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  });
  private readonly contextGrouped = new GroupedCall<[string, string, number], ChunkContext>(async (keys) => {
    type Row = Pick<BatchRecord, 'state' | 'manifest'> & Omit<ChunkRecord, 'batch_id' | 'file_id' | 'chunk_index'> & { vin: string | null; sha256: string | null };
    const rows = (await queryPrepared<Row>(this.pool, 'argus_chunk_contexts', SQL.chunkContexts, [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])])).rows;
    if (rows.length !== keys.length) throw new Error(`chunk context: ${rows.length} rows for ${keys.length} chunk ids`);
    return rows.map((r, n): ChunkContext => {
      const [b, f, i] = keys[n] as [string, string, number];
      return {
        batch: r.vin === null ? null : { vin: r.vin, state: r.state, manifest: r.manifest },
        chunk: r.sha256 === null ? null : { batch_id: b.toLowerCase(), file_id: f, chunk_index: i, topic: r.topic, sha256: r.sha256, byte_length: r.byte_length, raw_length: r.raw_length, rows: r.rows, object_key: r.object_key },
      };
    });
  });

  constructor(private readonly pool: pg.Pool) {
    this.barrier = new PgBarrier(pool);
    this.ledger = new PgChunkLedger(pool);
  }

  async putManifest(m: BatchManifest): Promise<{ outcome: 'stored' | 'duplicate' | 'conflict' }> {
    const expected = manifestChunkCount(m);
    await this.pool.query(SQL.upsertVehicle, [m.vehicle.vin, m.vehicle.vehicle_id ?? null, m.vehicle.platform, JSON.stringify(m.vehicle.firmware)]);
    const r = await this.pool.query<{ batch_id: string }>(SQL.putManifest, [m.batch_id, m.vehicle.vin, m.vehicle.platform, JSON.stringify(m), expected]);
    if (r.rowCount === 1) {
      await this.event(m.batch_id, 'uploading', { manifest: true, chunks_expected: expected });
      return { outcome: 'stored' };
    }
    const existing = await this.get(m.batch_id);
    if (existing?.manifest && existing.vin === m.vehicle.vin && manifestChunkCount(existing.manifest) === expected) return { outcome: 'duplicate' };
    return { outcome: 'conflict' };
  }

  /** Grouped: concurrent calls share one multi-row insert (PgChunkLedger). */
  recordChunk(vin: string, e: ChunkEnvelope, objectKey: string): Promise<RecordChunkResult> {
    return this.ledger.record(vin, e, objectKey);
  }

  /** The ledger half of chunkContext. */
  async getChunk(batchId: string, fileId: string, index: number): Promise<ChunkRecord | null> {
    return (await this.chunkContext(batchId, fileId, index)).chunk;
  }

  /**
   * Grouped with concurrent calls: one statement answers both halves for the
   * whole group. An id whose batch id is not a UUID or whose index is outside
   * int range cannot be in the tables (their columns are uuid and int), so it
   * is answered without a query.
   */
  async chunkContext(batchId: string, fileId: string, index: number): Promise<ChunkContext> {
    return groupable(batchId, index) ? this.contextGrouped.call([batchId, fileId, index]) : { batch: null, chunk: null };
  }

  async tryCompleteUpload(batchId: string): Promise<boolean> {
    return (await this.barrier.expect(batchId, [])) === 'fired';
  }

  async transition(batchId: string, from: readonly BatchState[], to: BatchState, detail: Record<string, unknown> = {}): Promise<boolean> {
    const r = await this.pool.query(SQL.transition, [batchId, [...from], to]);
    if (r.rowCount !== 1) return false;
    await this.event(batchId, to, detail);
    return true;
  }

  async noteRetry(batchId: string, stage: string, attempt: number): Promise<void> {
    const r = await this.pool.query(SQL.noteRetry, [batchId]);
    if (r.rowCount === 1) await this.event(batchId, 'retry', { stage, attempt });
  }

  async fail(batchId: string, reason: string): Promise<void> {
    await this.pool.query(SQL.fail, [batchId, reason]);
    await this.event(batchId, 'failed', { reason });
  }

  /** Grouped with concurrent lookups when `batchId` is a UUID (a malformed id must not fail its group). */
  async get(batchId: string): Promise<BatchRecord | null> {
    if (UUID.test(batchId)) return this.getGrouped.call(batchId);
    const r = await this.pool.query<BatchRecord>(SQL.getBatch, [batchId]);
    return r.rows[0] ?? null;
  }

  async list(opts: { vin?: string; limit?: number } = {}): Promise<BatchRecord[]> {
    const r = await this.pool.query<BatchRecord>(SQL.listBatches, [opts.vin ?? null, opts.limit ?? 100]);
    return r.rows;
  }

  async inFlight(limit = 1000): Promise<{ batch_id: string; state: BatchState }[]> {
    return (await this.pool.query<{ batch_id: string; state: BatchState }>(SQL.listInFlight, [limit])).rows;
  }

  async chunks(batchId: string): Promise<ChunkRecord[]> {
    return (await this.pool.query<ChunkRecord>(SQL.listChunks, [batchId])).rows;
  }

  async events(batchId: string): Promise<{ state: string; detail: unknown; at: string }[]> {
    return (await this.pool.query<{ state: string; detail: unknown; at: string }>(SQL.listEvents, [batchId])).rows;
  }

  async putFeatures(batchId: string, features: unknown): Promise<void> {
    await this.pool.query(SQL.putFeatures, [batchId, JSON.stringify(features)]);
  }

  async getFeatures(batchId: string): Promise<unknown | null> {
    return (await this.pool.query<{ features: unknown }>(SQL.getFeatures, [batchId])).rows[0]?.features ?? null;
  }

  async putReport(rep: DiagnosisReport): Promise<void> {
    await this.pool.query(SQL.putReport, [rep.report_id, rep.batch_id, rep.vin, rep.status, JSON.stringify(rep)]);
  }

  async getReport(batchId: string): Promise<DiagnosisReport | null> {
    return (await this.pool.query<{ report: DiagnosisReport }>(SQL.getReport, [batchId])).rows[0]?.report ?? null;
  }

  async markReportDelivered(reportId: string, vin: string): Promise<boolean> {
    return (await this.pool.query(SQL.markDelivered, [reportId, vin])).rowCount === 1;
  }

  async undeliveredReports(vin: string, limit = 100): Promise<DiagnosisReport[]> {
    return (await this.pool.query<{ report: DiagnosisReport }>(SQL.listUndelivered, [vin, limit])).rows.map((r) => r.report);
  }

  private async event(batchId: string, state: string, detail: Record<string, unknown>): Promise<void> {
    await this.pool.query(SQL.insertEvent, [batchId, state, JSON.stringify(detail)]);
  }
}
