/**
 * Knowledge beyond faults and causes: documents (service bulletins, runbooks,
 * notes), confirmed past diagnoses (cases) and links between faults. A
 * {@link KbBundle} is what `argus kb import` reads and `kb export` writes.
 */
import { z } from 'zod';
import { KbFault } from './knowledge-base.js';

const Id = z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

/** A service bulletin, runbook or note; platforms empty means every platform. */
export const KbDocument = z.object({
  id: Id,
  kind: z.enum(['bulletin', 'runbook', 'note']),
  title: z.string().min(1),
  platforms: z.array(z.string().min(1)).default([]),
  fault_codes: z.array(z.string().min(1)).default([]),
  cause_ids: z.array(z.string().min(1)).default([]),
  body: z.string().min(1),
});
export type KbDocument = z.infer<typeof KbDocument>;

/** A diagnosis a fleet engineer confirmed on a real vehicle. */
export const KbCase = z.object({
  id: Id,
  vin: z.string().min(1),
  platform: z.string().min(1),
  firmware: z.record(z.string(), z.string()).default({}),
  fault_code: z.string().min(1),
  cause_id: z.string().min(1).nullable(),
  summary: z.string().min(1),
  confirmed_by: z.string().min(1),
  confirmed_at: z.string().optional(),
});
export type KbCase = z.infer<typeof KbCase>;

/** "Fault `from` can cause fault `to`". */
export const KbLink = z.object({ from_code: z.string().min(1), to_code: z.string().min(1), relation: z.string().min(1).default('causes') });
export type KbLink = z.infer<typeof KbLink>;

/** An import/export unit: any mix of faults, documents, cases and links. */
export const KbBundle = z.object({
  version: z.union([z.string(), z.number()]).optional(),
  faults: z.array(KbFault).default([]),
  documents: z.array(KbDocument).default([]),
  cases: z.array(KbCase).default([]),
  links: z.array(KbLink).default([]),
});
export type KbBundle = z.infer<typeof KbBundle>;
