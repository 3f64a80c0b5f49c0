import { z } from 'zod';
import { BatchId } from './chunk.js';

/** A firmware version to install on one component. */
export const FirmwareTarget = z.object({ component: z.string(), version: z.string() });
export type FirmwareTarget = z.infer<typeof FirmwareTarget>;

/** One piece of evidence behind a finding: a log line, a signal fact, or a knowledge-base entry. */
export const Evidence = z.object({
  kind: z.enum(['signal', 'status', 'log', 'kb']),
  topic: z.string().optional(),
  /** Seconds from the start of the drive. */
  t_start_s: z.number().optional(),
  t_end_s: z.number().optional(),
  text: z.string(),
  /** Knowledge-base entry id and its score, for `kb` evidence. */
  ref: z.string().optional(),
  score: z.number().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

/** One thing that went wrong on the drive, root first. */
export const Finding = z.object({
  code: z.string().nullable(),
  name: z.string(),
  cause_id: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  severity: z.string().optional(),
  root_cause: z.string().nullable(),
  resolution: z.string().nullable(),
  recommended_firmware: FirmwareTarget.nullable(),
  /** Codes (or names) of findings this one explains. */
  consequences: z.array(z.string()),
  evidence: z.array(Evidence),
});
export type Finding = z.infer<typeof Finding>;

/** One recorded step of the diagnosis (inputs, outputs, timing). */
export const TraceStep = z.object({
  step: z.string(),
  ms: z.number(),
  detail: z.record(z.string(), z.unknown()),
});

/** The diagnosis of one drive, as stored, served and pushed to the vehicle. */
export const DiagnosisReport = z.object({
  v: z.literal(1),
  report_id: z.string(),
  batch_id: BatchId,
  vin: z.string(),
  platform: z.string(),
  status: z.enum(['healthy', 'fault', 'unknown']),
  summary: z.string(),
  findings: z.array(Finding),
  engine: z.string(),
  model: z.string().optional(),
  tokens_used: z.number().int().optional(),
  trace: z.array(TraceStep),
  created_at: z.string(),
});
export type DiagnosisReport = z.infer<typeof DiagnosisReport>;

/** A firmware recommendation for one vehicle, from the OTA team. */
export const FirmwareRecommendation = z.object({
  v: z.literal(1),
  recommendation_id: z.string(),
  vin: z.string(),
  batch_id: BatchId.optional(),
  fault_code: z.string(),
  cause_id: z.string().nullable(),
  target: FirmwareTarget,
  current_version: z.string().nullable(),
  note: z.string(),
  approved_by: z.string().optional(),
  created_at: z.string(),
});
export type FirmwareRecommendation = z.infer<typeof FirmwareRecommendation>;
