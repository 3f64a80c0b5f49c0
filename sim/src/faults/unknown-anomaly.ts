/**
 * An anomaly no catalogue entry describes, for testing how a diagnosis handles
 * the unknown: the traction battery pack heats from ~30 °C to ~70 °C within a
 * minute and stays hot, with no status and no log line pointing at it.
 */
import { hashNormal, ramp, round, type Effect } from '../effects.js';
import { TOPIC } from '../reference-vehicle.js';

/** Description of the injected anomaly (for the scenario label). */
export interface AnomalyLabel {
  readonly kind: 'pack_temp_rise';
  /** `topic.field` that misbehaves. */
  readonly signal: string;
  readonly startS: number;
  readonly endS: number;
}

/** Default duration of the anomaly, s. */
export const ANOMALY_DURATION_S = 90;

/** Builds the pack-temperature anomaly over [startS, endS). */
export function packTempAnomaly(startS: number, endS: number, seed: number): { effect: Effect; label: AnomalyLabel } {
  const effect: Effect = {
    label: 'anomaly:pack_temp_rise',
    startS,
    endS,
    alter: {
      [TOPIC.battery]: (t, s) => {
        if (t < startS) return;
        const rise = t < endS ? ramp(t, startS, startS + 60, 0, 41) : 41 * Math.exp(-(t - endS) / 300);
        s.pack_temp_c = round(s.pack_temp_c + rise + hashNormal(seed, t, 0, 0.15), 2);
      },
    },
  };
  return { effect, label: { kind: 'pack_temp_rise', signal: `${TOPIC.battery}.pack_temp_c`, startS, endS } };
}
