import type pg from 'pg';
import { queryPrepared } from '../db/prepared-query.js';
import type { Barrier, BarrierAnswer, ChunkEvent, ExpectedFiles } from './barrier.js';
import { FIRE_MANY_SQL, FIRE_MANY_STATEMENT, FIRE_SQL, FIRE_STATEMENT } from './pg-barrier-queries.js';
import { GroupedCall } from '../db/grouped-call.js';

/**
 * Barrier on Postgres (or embedded PGlite), for the embedded default. Its
 * memory is the batch store's own tables: the chunk ledger (`chunks`, written
 * insert-on-conflict by `PgBatchStore.recordChunk`) and the batch's manifest
 * (written by `PgBatchStore.putManifest`). So the hub stores first and then asks
 * the barrier; firing is one conditional UPDATE of the batch's state, which
 * therefore moves to `uploaded` atomically with the decision.
 */
export class PgBarrier implements Barrier {
  /** Concurrent `record` calls share one FIRE_MANY_SQL (group commit). */
  private readonly grouped = new GroupedCall<ChunkEvent, BarrierAnswer>((events) => this.fireMany(events));

  constructor(private readonly pool: pg.Pool) {}

  record(e: ChunkEvent): Promise<BarrierAnswer> {
    return this.grouped.call(e);
  }

  /** The expectation is the manifest the batch store already holds; `files` is not needed here. */
  expect(batchId: string, _files: ExpectedFiles): Promise<BarrierAnswer> {
    return this.fire(batchId, [null, null, null]);
  }

  async close(): Promise<void> {
    // The pool belongs to the database; nothing of our own to release.
  }

  /**
   * One statement for a group of events. A batch that fired answers `fired` to
   * its first event without a conflict and `done` to the others (they are
   * duplicates of a completed batch now); a conflicting event answers `conflict`.
   */
  private async fireMany(events: ChunkEvent[]): Promise<BarrierAnswer[]> {
    const r = await queryPrepared<{ ord: number; conflict: boolean; fired: boolean; state: string | null }>(this.pool, FIRE_MANY_STATEMENT, FIRE_MANY_SQL, [
      events.map((e) => e.batchId), events.map((e) => e.fileId), events.map((e) => e.chunkIndex), events.map((e) => e.sha256),
    ]);
    const given = new Set<string>();
    return events.map((e, i): BarrierAnswer => {
      const row = r.rows[i];
      if (!row || row.ord !== i + 1) throw new Error(`barrier: no answer for event ${i + 1} of ${events.length}`);
      if (row.conflict) return 'conflict';
      if (row.fired) {
        const id = e.batchId.toLowerCase();
        if (given.has(id)) return 'done';
        given.add(id);
        return 'fired';
      }
      return row.state === null || row.state === 'pending' || row.state === 'uploading' ? 'waiting' : 'done';
    });
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
