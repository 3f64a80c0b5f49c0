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
