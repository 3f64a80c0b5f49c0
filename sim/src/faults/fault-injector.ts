/** The contract every fault injector fulfils. */
import type { Effect } from '../effects.js';

/** Where and how a fault is injected. */
export interface FaultWindow {
  /** Fault onset, seconds from drive start. */
  readonly startS: number;
  /** End of the active phase (the injector may leave lasting traces after it). */
  readonly endS: number;
  /** Drive length, s. */
  readonly driveS: number;
  /** Seed of this fault's deterministic noise. */
  readonly seed: number;
}

/** Turns a fault window into its effect on the data. */
export interface FaultInjector {
  readonly code: string;
  /** How long the active phase lasts by default, s (clears the catalogue thresholds with margin). */
  readonly durationS: number;
  /** The signature needs a moving vehicle that is not braking. */
  readonly needsMotion: boolean;
  create(w: FaultWindow): Effect;
}
