/**
 * Knowledge base of known faults: what each fault looks like in a drive
 * (machine-readable signature rules), and its causes per platform and
 * firmware range. Schemas decode untrusted KB documents; types are inferred.
 */
import { z } from 'zod';

/** Role of a signature rule within its fault. */
export const RuleRole = z.enum(['primary', 'supporting', 'consequence']);
export type RuleRole = z.infer<typeof RuleRole>;

/** A scalar a field may be compared with. */
export const Scalar = z.union([z.number(), z.boolean(), z.string()]);
export type Scalar = z.infer<typeof Scalar>;

/**
 * A condition that must hold at the same time as the rule (interval
 * intersection), on the same or another topic. Exactly one of above/below/equals.
 */
export const WhileCondition = z
  .object({
    topic: z.string().min(1),
    field: z.string().min(1),
    above: z.number().optional(),
    below: z.number().optional(),
    equals: Scalar.optional(),
  })
  .refine((w) => [w.above, w.below, w.equals].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of above, below, equals',
  });
export type WhileCondition = z.infer<typeof WhileCondition>;

const base = {
  topic: z.string().min(1),
  role: RuleRole,
  /** The condition must hold continuously at least this long (seconds). */
  min_duration_s: z.number().nonnegative().optional(),
  /** At least this many samples/events must satisfy the rule. */
  min_count: z.number().int().positive().optional(),
  while: WhileCondition.optional(),
  note: z.string().optional(),
};

/** Diagnostic level names (diagnostic_msgs/DiagnosticStatus). */
export const DIAG_LEVELS = ['OK', 'WARN', 'ERROR', 'STALE'] as const;
/** Log level names with their rcl_interfaces/Log numeric values. */
export const LOG_LEVELS = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, FATAL: 50 } as const;

/** One machine-readable signature rule; `kind` selects its shape. */
export const SignatureRule = z.discriminatedUnion('kind', [
  /** The topic stops publishing for at least `min_gap_ms`, `min_count` times (default 1). */
  z.object({ ...base, kind: z.literal('gap'), min_gap_ms: z.number().positive() }),
  /** The topic's rate (messages per second over a short window) is below `hz`. */
  z.object({ ...base, kind: z.literal('rate_below'), hz: z.number().positive() }),
  z.object({ ...base, kind: z.literal('value_above'), field: z.string().min(1), value: z.number() }),
  z.object({ ...base, kind: z.literal('value_below'), field: z.string().min(1), value: z.number() }),
  z.object({ ...base, kind: z.literal('value_equals'), field: z.string().min(1), value: Scalar }),
  /**
   * |field| sits at the sensor range limit (within 2 %). `limit_g` is in g;
   * `unit_per_g` converts to the field's unit (default 9.80665: sensor_msgs/Imu is in m/s²).
   */
  z.object({ ...base, kind: z.literal('value_at_limit'), field: z.string().min(1), limit_g: z.number().positive(), unit_per_g: z.number().positive().optional() }),
  /** A cumulative counter grows by at least `min_increase` during the drive. */
  z.object({ ...base, kind: z.literal('increasing'), field: z.string().min(1), min_increase: z.number().positive() }),
  /** A (smoothed) field rises by at least `min_rise` from a low to a later high. */
  z.object({ ...base, kind: z.literal('trend_up'), field: z.string().min(1), min_rise: z.number().positive() }),
  /** |fields[0] − fields[1]| exceeds `value`. */
  z.object({ ...base, kind: z.literal('difference_above'), fields: z.tuple([z.string().min(1), z.string().min(1)]), value: z.number().nonnegative() }),
  /** A diagnostics status (diagnostic_msgs/DiagnosticArray topic); message matches as a case-insensitive substring. */
  z.object({ ...base, kind: z.literal('status'), name: z.string().min(1), level: z.enum(DIAG_LEVELS), message: z.string().optional(), code: z.string().optional() }),
  /** A log line (rcl_interfaces/Log topic) at `level` or above; text matches as a case-insensitive substring. */
  z.object({ ...base, kind: z.literal('log'), level: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']), node: z.string().optional(), text: z.string().optional() }),
]);
export type SignatureRule = z.infer<typeof SignatureRule>;
/** The kinds of signature rule. */
export type RuleKind = SignatureRule['kind'];

/** A firmware version to install on one component. */
export const RecommendedFirmware = z.object({ component: z.string().min(1), version: z.string().min(1) });

/** One cause of a fault, valid on some platforms and firmware versions of one component. */
export const KbCause = z.object({
  id: z.string().min(1),
  platforms: z.array(z.string().min(1)).min(1),
  firmware_component: z.string().min(1),
  /** Range of `firmware_component` versions affected (see version-range.ts). */
  affected_versions: z.string().min(1),
  root_cause: z.string().min(1),
  resolution: z.string().min(1),
  recommended_firmware: RecommendedFirmware.nullable(),
});
export type KbCause = z.infer<typeof KbCause>;

/** One known fault. */
export const KbFault = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  subsystem: z.string().min(1),
  severity: z.enum(['critical', 'major', 'minor']),
  platforms: z.array(z.string().min(1)).min(1),
  symptoms: z.string().min(1),
  signature: z.array(SignatureRule).min(1),
  causes: z.array(KbCause).min(1),
});
export type KbFault = z.infer<typeof KbFault>;

/** A whole knowledge base. Cross-field checks live in load-kb.ts. */
export const KnowledgeBase = z.object({
  version: z.union([z.string().min(1), z.number()]),
  faults: z.array(KbFault),
});
export type KnowledgeBase = z.infer<typeof KnowledgeBase>;

/** Order of severities, most severe first. */
export const SEVERITY_RANK: Record<KbFault['severity'], number> = { critical: 0, major: 1, minor: 2 };
