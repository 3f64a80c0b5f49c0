/**
 * Effects: how scenario events (faults, healthy noise, anomalies) change a
 * healthy drive. An effect can drop samples, alter sample fields, raise
 * diagnostics statuses and add /rosout lines. Effects are pure functions of
 * time; their noise comes from {@link hashNoise}, so it does not depend on the
 * order in which topics are generated.
 */
import type { TopicName } from './reference-vehicle.js';
import type { SampleByTopic } from './samples.js';

/** Diagnostic level (diagnostic_msgs/DiagnosticStatus). */
export const LEVEL = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 } as const;
/** Log severity (rcl_interfaces/Log). */
export const LOG = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, FATAL: 50 } as const;

/** A non-OK status an effect reports on /diagnostics. */
export interface StatusReport {
  readonly name: string;
  readonly level: 1 | 2 | 3;
  readonly message: string;
  /** Fault code carried in the `code` key, e.g. `0x8004`. */
  readonly code: string;
}

/** One /rosout line. */
export interface LogLine {
  /** Seconds from the start of the drive. */
  readonly t: number;
  readonly level: 10 | 20 | 30 | 40 | 50;
  /** Node name. */
  readonly node: string;
  readonly msg: string;
}

/** Per-topic hooks that change a sample in place. */
export type AlterHooks = { [K in TopicName]?: (t: number, sample: SampleByTopic[K]) => void };
/** Per-topic predicates that drop the sample published at `t`. */
export type DropHooks = { [K in TopicName]?: (t: number) => boolean };

/** A scenario event's effect on the recorded data. */
export interface Effect {
  /** What caused it: a fault code, `noise:<kind>` or `anomaly:<kind>`. */
  readonly label: string;
  /** Active interval (seconds from drive start). */
  readonly startS: number;
  readonly endS: number;
  readonly alter?: AlterHooks;
  readonly drop?: DropHooks;
  /** Statuses reported at `t` (empty when none). */
  readonly statuses?: (t: number) => readonly StatusReport[];
  /** /rosout lines. */
  readonly logs?: readonly LogLine[];
}

/**
 * Deterministic noise in [0, 1) for (seed, t, k): a hash, not a stream, so the
 * same instant always gets the same value.
 */
export function hashNoise(seed: number, t: number, k = 0): number {
  let h = (seed ^ Math.imul(Math.round(t * 1e4) | 0, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

/** Deterministic, approximately normal noise (sum of uniforms) for (seed, t, k). */
export function hashNormal(seed: number, t: number, k = 0, sd = 1): number {
  const s = hashNoise(seed, t, 4 * k) + hashNoise(seed, t, 4 * k + 1) + hashNoise(seed, t, 4 * k + 2) +
    hashNoise(seed, t, 4 * k + 3);
  return (s - 2) * Math.sqrt(3) * sd;
}

/** Linear ramp from `a` at `t0` to `b` at `t1`, held outside. */
export function ramp(t: number, t0: number, t1: number, a: number, b: number): number {
  if (t <= t0) return a;
  if (t >= t1) return b;
  return a + ((b - a) * (t - t0)) / (t1 - t0);
}

/** True when `t` lies in [startS, endS). */
export function within(t: number, startS: number, endS: number): boolean {
  return t >= startS && t < endS;
}

/** Log lines every `everyS` seconds over [startS, endS), first at `startS`. */
export function repeatLog(
  startS: number,
  endS: number,
  everyS: number,
  line: Omit<LogLine, 't'>,
): LogLine[] {
  const out: LogLine[] = [];
  for (let t = startS; t < endS; t += everyS) out.push({ ...line, t });
  return out;
}

/** Rounds to `digits` decimals (keeps JSON compact and compressible). */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
