import { z } from 'zod';
import { VIN_PATTERN } from './topics.js';

/**
 * A vehicle tells the hub it set a recording aside for good (it could not be
 * parsed, held no selected topics, or could not fit the outbox), with the
 * reason. Sent with `PUT API.quarantine` (idempotent: one per recording name).
 */
export const QuarantineNotice = z.object({
  v: z.literal(1),
  vin: z.string().regex(VIN_PATTERN),
  recording: z.object({ name: z.string().min(1).max(512), bytes: z.number().int().nonnegative() }),
  /** Stable code, e.g. `BAD_MAGIC`, `NO_MESSAGES`, `OUTBOX_FULL`. */
  code: z.string().min(1).max(64),
  reason: z.string().max(4096),
  at: z.string(),
});
export type QuarantineNotice = z.infer<typeof QuarantineNotice>;

/** A quarantine notice as the hub keeps it (`GET API.quarantines`, newest first). */
export const QuarantineRecord = z.object({
  vin: z.string(),
  recording_name: z.string(),
  recording_bytes: z.number(),
  code: z.string(),
  reason: z.string(),
  /** When the vehicle quarantined it (the vehicle's clock, as reported). */
  quarantined_at: z.string(),
  /** When the hub last heard of it (ISO 8601, UTC). */
  received_at: z.string(),
  /** How many times the vehicle reported it. */
  reports: z.number().int().positive(),
});
export type QuarantineRecord = z.infer<typeof QuarantineRecord>;
