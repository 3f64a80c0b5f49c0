/**
 * Scenario planning: which faults start when, the healthy noise, the optional
 * unknown anomaly, and the intervals where the drive must keep moving. Pure.
 */
import type { Interval } from './drive-profile.js';
import type { Effect } from './effects.js';
import {
  anomalyDurationS, FAULT_INJECTORS, FAULT_PLATFORMS, isAnomalyRequest, normaliseFaultCode, UNKNOWN_ANOMALY_KINDS, unknownAnomaly,
  type AnomalyLabel, type UnknownAnomalyRequest,
} from './faults/index.js';
import { planHealthyNoise, type NoiseLabel } from './healthy-noise.js';
import { deriveSeed, Rng } from './prng.js';
import type { Firmware, Platform } from './vehicle-metadata.js';

/** A fault to inject; without `startS` it starts at a random time. */
export interface FaultRequest {
  readonly code: string;
  readonly startS?: number;
}

/** The ground truth of a simulated drive. */
export interface ScenarioLabel {
  platform: Platform;
  firmware: Firmware;
  /** Injected faults with their active window, s from drive start. */
  faults: { code: string; startS: number; endS: number }[];
  /** Whether an unknown anomaly was injected (details in `anomaly`). */
  unknownAnomaly: boolean;
  anomaly: AnomalyLabel | null;
  /** Healthy-noise events (not faults). */
  noise: NoiseLabel[];
  seed: number;
  durationS: number;
}

/** Error for requests the simulator cannot honour. */
export class SimOptionsError extends Error {
  readonly code = 'SIM_BAD_OPTIONS';
}

/** What the writer needs from a plan. */
export interface ScenarioPlan {
  effects: Effect[];
  holds: Interval[];
  label: ScenarioLabel;
}

/** Inputs of {@link planScenario}. */
export interface ScenarioInput {
  seed: number;
  durationS: number;
  platform: Platform;
  firmware: Firmware;
  faults: readonly FaultRequest[];
  /** `true`: the pack-temperature rise; or which kind (and variant) to inject. */
  unknownAnomaly: boolean | UnknownAnomalyRequest;
  healthyNoise: boolean;
}

function pickStart(rng: Rng, durationS: number, lenS: number): number {
  const lo = Math.min(Math.max(8, 0.1 * durationS), Math.max(0, durationS - lenS));
  const hi = Math.max(lo, durationS - lenS - Math.min(5, 0.05 * durationS));
  return Math.round(rng.uniform(lo, hi) * 10) / 10;
}

/**
 * Plans a drive. Fault windows clear the catalogue thresholds with margin
 * unless the drive is too short to hold them (then they are cut at the end).
 *
 * @throws SimOptionsError for unknown codes, codes not valid on the platform, or bad start times
 */
export function planScenario(input: ScenarioInput): ScenarioPlan {
  const rng = Rng.derive(input.seed, 'scenario');
  const effects: Effect[] = [];
  const holds: Interval[] = [];
  const faults: ScenarioLabel['faults'] = [];
  input.faults.forEach((req, i) => {
    const code = normaliseFaultCode(req.code);
    const injector = FAULT_INJECTORS.get(code);
    if (!injector) throw new SimOptionsError(`unknown fault code ${req.code}`);
    const platforms = FAULT_PLATFORMS[code] ?? [];
    if (!platforms.includes(input.platform)) {
      throw new SimOptionsError(`fault ${code} does not occur on platform ${input.platform} (only ${platforms.join(', ')})`);
    }
    if (req.startS !== undefined && !(req.startS >= 0 && req.startS < input.durationS)) {
      throw new SimOptionsError(`fault ${code} startS ${req.startS} is outside the ${input.durationS} s drive`);
    }
    const startS = req.startS ?? pickStart(rng, input.durationS, injector.durationS);
    const endS = Math.min(input.durationS, startS + injector.durationS);
    const effect = injector.create({ startS, endS, driveS: input.durationS, seed: deriveSeed(input.seed, `fault:${code}:${i}`) });
    effects.push(effect);
    if (injector.needsMotion) holds.push({ startS, endS });
    faults.push({ code, startS: round1(effect.startS), endS: round1(Math.min(input.durationS, effect.endS)) });
  });

  let anomaly: AnomalyLabel | null = null;
  if (input.unknownAnomaly) {
    const req: UnknownAnomalyRequest = input.unknownAnomaly === true ? { kind: 'pack_temp_rise' } : input.unknownAnomaly;
    if (!isAnomalyRequest(req)) {
      throw new SimOptionsError(`unknown anomaly ${String(req.kind)} variant ${String(req.variant ?? 0)} (kinds: ${UNKNOWN_ANOMALY_KINDS.join(', ')})`);
    }
    const lenS = anomalyDurationS(req.kind);
    const startS = pickStart(rng, input.durationS, lenS);
    const a = unknownAnomaly(req, startS, Math.min(input.durationS, startS + lenS), deriveSeed(input.seed, 'anomaly'));
    effects.push(a.effect);
    anomaly = { ...a.label, startS: round1(a.label.startS), endS: round1(a.label.endS) };
  }

  const noise = input.healthyNoise ? planHealthyNoise(input.seed, input.durationS) : { effects: [], labels: [] };
  effects.push(...noise.effects);

  return {
    effects,
    holds,
    label: {
      platform: input.platform,
      firmware: input.firmware,
      faults,
      unknownAnomaly: input.unknownAnomaly !== false,
      anomaly,
      noise: noise.labels.map((n) => ({ ...n, startS: round1(n.startS), endS: round1(n.endS) })),
      seed: input.seed,
      durationS: input.durationS,
    },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
