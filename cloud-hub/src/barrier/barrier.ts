/**
 * The upload barrier: decides, exactly once per batch, that every chunk the
 * manifest lists is durably stored, so the drive's analysis starts once and
 * never twice — under duplicate deliveries, any order (the manifest may come
 * before or after its chunks), and many callers in many hub processes.
 *
 * Implementations: `PgBarrier` (embedded default; the ledger is the batch
 * store's `chunks` table and firing is one conditional UPDATE of the batch's
 * state) and `RedisBarrier` (scale mode; one Lua script per event).
 * One shared suite (`barrier.suite.ts`) runs against both.
 */

/** One stored chunk, as the barrier sees it. Chunk id = `batchId/fileId/chunkIndex`. */
export interface ChunkEvent {
  batchId: string;
  fileId: string;
  /** 0-based index within its file. */
  chunkIndex: number;
  /** Hex sha256 of the chunk's bytes. */
  sha256: string;
}

/** The chunk set a manifest promises: every index `0 … chunkCount-1` of every file. */
export type ExpectedFiles = readonly { fileId: string; chunkCount: number }[];

/**
 * The barrier's answer to one event:
 * - `fired`: this call completed the batch — given to exactly one caller, ever;
 * - `done`: the batch fired earlier (a late duplicate, or a retry after a crash);
 * - `waiting`: chunks or the manifest are still missing;
 * - `conflict`: this chunk id was recorded with a different sha256 (refuse it).
 */
export type BarrierAnswer = 'fired' | 'done' | 'waiting' | 'conflict';

/** See the module comment. */
export interface Barrier {
  /** Records a stored chunk and answers whether the batch is now complete. */
  record(e: ChunkEvent): Promise<BarrierAnswer>;
  /** Records the manifest's expected chunk set (the first one wins) and answers likewise. */
  expect(batchId: string, files: ExpectedFiles): Promise<BarrierAnswer>;
  /** Releases connections this barrier opened itself. */
  close(): Promise<void>;
}

/** Total chunks a manifest promises. */
export function expectedCount(files: ExpectedFiles): number {
  return files.reduce((n, f) => n + f.chunkCount, 0);
}

/** The barrier's chunk id of an event (same layout as shared's `chunkId`). */
export function barrierChunkId(e: Pick<ChunkEvent, 'batchId' | 'fileId' | 'chunkIndex'>): string {
  return `${e.batchId}/${e.fileId}/${e.chunkIndex}`;
}
