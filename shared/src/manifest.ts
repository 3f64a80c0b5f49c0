import { z } from 'zod';
import { BatchId, ChunkCount, FileId } from './chunk.js';
import { VIN_PATTERN } from './topics.js';

/** Vehicle facts of a drive, from the recording's `vehicle` metadata record. */
export const VehicleInfo = z.object({
  vin: z.string().regex(VIN_PATTERN, 'vin must be 17 characters (no I, O, Q)'),
  vehicle_id: z.string().max(128).optional(),
  platform: z.string().min(1).max(32),
  drive_id: z.string().max(128).optional(),
  started_at: z.string().max(64).optional(),
  /** Firmware version per component, e.g. `{ lidar_front: '3.1.4' }`. */
  firmware: z.record(z.string(), z.string()),
});
export type VehicleInfo = z.infer<typeof VehicleInfo>;

/** One per-topic CSV stream of a batch. */
export const ManifestFile = z.object({
  file_id: FileId,
  topic: z.string().min(1).max(512),
  chunk_count: ChunkCount,
  rows: z.number().int().nonnegative(),
  raw_bytes: z.number().int().nonnegative(),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** Per-topic facts of the recording (from the parser's summary). */
export const ManifestTopic = z.object({
  topic: z.string(),
  message_encoding: z.string(),
  schema_name: z.string(),
  message_count: z.number().int().nonnegative(),
  first_log_time_ns: z.string().regex(/^\d+$/),
  last_log_time_ns: z.string().regex(/^\d+$/),
});

/**
 * What a vehicle declares about one batch (one recording) before or while it
 * uploads the chunks. The barrier fires when every chunk it lists is stored.
 */
export const BatchManifest = z.object({
  v: z.literal(1),
  batch_id: BatchId,
  vehicle: VehicleInfo,
  recording: z.object({
    name: z.string().max(512),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    truncated: z.boolean().default(false),
  }),
  files: z.array(ManifestFile).min(1).max(10_000),
  topics: z.array(ManifestTopic).max(10_000).default([]),
  problems: z.array(z.object({ code: z.string(), message: z.string(), offset: z.number().optional() })).max(1000).default([]),
  /** Per-topic streams the vehicle evicted from its outbox (disk quota) before sending; not part of `files`. */
  dropped: z.array(z.object({
    file_id: FileId,
    topic: z.string().max(512),
    chunk_count: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    reason: z.string().max(512),
  })).max(10_000).optional(),
  created_at: z.string(),
}).superRefine((m, ctx) => {
  const ids = new Set<string>();
  for (const f of m.files) {
    if (ids.has(f.file_id)) ctx.addIssue({ code: 'custom', message: `duplicate file_id ${f.file_id}`, path: ['files'] });
    ids.add(f.file_id);
  }
});
export type BatchManifest = z.infer<typeof BatchManifest>;

/** Total number of chunks a manifest promises. */
export function manifestChunkCount(m: Pick<BatchManifest, 'files'>): number {
  return m.files.reduce((n, f) => n + f.chunk_count, 0);
}
