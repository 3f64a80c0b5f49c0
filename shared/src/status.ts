import { z } from 'zod';
import { BatchId } from './chunk.js';

/**
 * Life of a batch on the hub:
 * pending → uploading → uploaded → gathering → gathered → diagnosing → diagnosed,
 * or failed (with a reason) from any state.
 */
export const BATCH_STATES = ['pending', 'uploading', 'uploaded', 'gathering', 'gathered', 'diagnosing', 'diagnosed', 'failed'] as const;
export const BatchState = z.enum(BATCH_STATES);
export type BatchState = z.infer<typeof BatchState>;

/** Status event published to the vehicle and the dashboard on every transition. */
export const BatchStatusEvent = z.object({
  v: z.literal(1),
  batch_id: BatchId,
  vin: z.string(),
  state: BatchState,
  chunks_stored: z.number().int().nonnegative(),
  chunks_expected: z.number().int().nonnegative().nullable(),
  reason: z.string().optional(),
  at: z.string(),
});
export type BatchStatusEvent = z.infer<typeof BatchStatusEvent>;

/** Vehicle's acknowledgement of something the hub pushed (report or recommendation). */
export const DownlinkAck = z.object({
  v: z.literal(1),
  kind: z.enum(['diagnosis', 'recommendation']),
  id: z.string().min(1).max(128),
  received_at: z.string(),
});
export type DownlinkAck = z.infer<typeof DownlinkAck>;

/** The hub refused an uplink message (malformed, bad sha256, foreign batch…); nothing of it was stored. */
export const UplinkRejection = z.object({
  v: z.literal(1),
  /** The uplink topic kind the message came on. */
  kind: z.string(),
  code: z.string(),
  message: z.string(),
  batch_id: z.string().optional(),
  file_id: z.string().optional(),
  chunk_index: z.number().int().optional(),
  at: z.string(),
});
export type UplinkRejection = z.infer<typeof UplinkRejection>;
