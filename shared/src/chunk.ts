import { z } from 'zod';

/** Lowercase hex sha256. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters');
/** Batch ids are UUIDs chosen by the vehicle (one per recording file). */
export const BatchId = z.string().uuid();
/** A file id names one per-topic CSV stream inside a batch, e.g. `t03` ([a-z0-9_-], ≤ 64). */
export const FileId = z.string().regex(/^[a-z0-9_-]{1,64}$/);

/** Content encodings a chunk may carry. */
export const ContentEncoding = z.enum(['gzip', 'zstd', 'identity']);
export type ContentEncoding = z.infer<typeof ContentEncoding>;

/** Most chunks one file may have: the hub's ledger keeps chunk indexes and counts as 32-bit integers. */
export const MAX_CHUNK_COUNT = 2 ** 31 - 1;
/** A file's chunk count (1 … MAX_CHUNK_COUNT). */
export const ChunkCount = z.number().int().positive().max(MAX_CHUNK_COUNT);

/** Largest chunk payload the hub accepts, in bytes (after compression). */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Describes one chunk: a self-contained piece of one topic's CSV (header row
 * included), compressed. `sha256` and `byte_length` are of the bytes as sent
 * (compressed); `raw_length` is of the CSV after decompression.
 */
export const ChunkEnvelope = z.object({
  v: z.literal(1),
  batch_id: BatchId,
  file_id: FileId,
  topic: z.string().min(1).max(512),
  chunk_index: z.number().int().nonnegative(),
  chunk_count: ChunkCount,
  sha256: Sha256Hex,
  content_encoding: ContentEncoding,
  byte_length: z.number().int().nonnegative().max(MAX_CHUNK_BYTES),
  raw_length: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
}).refine((e) => e.chunk_index < e.chunk_count, { message: 'chunk_index must be below chunk_count' });
export type ChunkEnvelope = z.infer<typeof ChunkEnvelope>;

/** Stable id of a chunk within the fleet: `{batch_id}/{file_id}/{chunk_index}`. */
export function chunkId(e: Pick<ChunkEnvelope, 'batch_id' | 'file_id' | 'chunk_index'>): string {
  return `${e.batch_id}/${e.file_id}/${e.chunk_index}`;
}

/** Application-level acknowledgement: the hub has durably stored the chunk (or refused it). */
export const ChunkAck = z.object({
  v: z.literal(1),
  batch_id: BatchId,
  file_id: FileId,
  chunk_index: z.number().int().nonnegative(),
  ok: z.boolean(),
  /** true when the chunk was already stored (a re-send); still ok. */
  duplicate: z.boolean().default(false),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ChunkAck = z.infer<typeof ChunkAck>;
