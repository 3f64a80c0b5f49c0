import type pg from 'pg';
import { queryPrepared } from '../db/prepared-query.js';
import type { Barrier, BarrierAnswer, ChunkEvent, ExpectedFiles } from './barrier.js';
import { FIRE_SQL, FIRE_STATEMENT } from './pg-barrier-queries.js';

/**
 * Barrier on Postgres (or embedded PGlite), for the embedded default. Its
 * memory is the batch store's own tables: the chunk ledger (`chunks`, written
 * insert-on-conflict by `PgBatchStore.recordChunk`) and the batch's manifest
 * (written by `PgBatchStore.putManifest`). So the hub stores first and then asks
 * the barrier; firing is one conditional UPDATE of the batch's state, which
 * therefore moves to `uploaded` atomically with the decision.
 */
export class PgBarrier implements Barrier {
  constructor(private readonly pool: pg.Pool) {}

  record(e: ChunkEvent): Promise<BarrierAnswer> {
    return this.fire(e.batchId, [e.fileId, e.chunkIndex, e.sha256]);
  }

  /** The expectation is the manifest the batch store already holds; `files` is not needed here. */
  expect(batchId: string, _files: ExpectedFiles): Promise<BarrierAnswer> {
    return this.fire(batchId, [null, null, null]);
  }

  async close(): Promise<void> {
    // The pool belongs to the database; nothing of our own to release.
  }

  private async fire(batchId: string, chunk: unknown[]): Promise<BarrierAnswer> {
    const r = await queryPrepared<{ fired_n: number | null; state: string | null; conflict: boolean }>(this.pool, FIRE_STATEMENT, FIRE_SQL, [batchId, ...chunk]);
    const row = r.rows[0];
    if (!row) return 'waiting';
    if (row.fired_n !== null) return 'fired';
    if (row.conflict) return 'conflict';
    return row.state === null || row.state === 'pending' || row.state === 'uploading' ? 'waiting' : 'done';
  }
}
