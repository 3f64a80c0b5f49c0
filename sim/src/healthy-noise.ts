/**
 * Healthy noise: the everyday irregularities of a good drive that a diagnosis
 * must not call faults — GNSS no-fix under a bridge (< 5 s), single WARN
 * statuses that clear within 2 s, CPU load spikes under 90 % for a few seconds.
 * Each stays clearly inside the catalogue's thresholds.
 */
import { hashNoise, LEVEL, LOG, round, type Effect, type StatusReport } from './effects.js';
import { Rng } from './prng.js';
import { TOPIC } from './reference-vehicle.js';

/** One healthy-noise event (for the scenario label). */
export interface NoiseLabel {
  readonly kind: 'gnss_bridge' | 'warn_blip' | 'cpu_spike';
  readonly startS: number;
  readonly endS: number;
  /** Subsystem for `warn_blip`. */
  readonly subsystem?: string;
}

/** Transient WARN statuses (name, message, code) a healthy drive may show for a moment. */
const BLIPS: readonly Omit<StatusReport, 'level'>[] = [
  { name: 'camera_front', message: 'frame drop', code: '0x8011' },
  { name: 'radar_front', message: 'sensor blockage', code: '0x8021' },
  { name: 'network', message: 'packet loss', code: '0xF002' },
  { name: 'power_lv', message: 'low voltage', code: '0xC001' },
];

function spread(rng: Rng, count: number, durationS: number, lenS: number): number[] {
  // One event per equal slice of the drive, placed at random inside its slice.
  const slice = durationS / count;
  return Array.from({ length: count }, (_, i) => i * slice + rng.uniform(0.1, 0.9) * Math.max(0, slice - lenS));
}

/** Plans the healthy noise of a drive. */
export function planHealthyNoise(seed: number, durationS: number): { effects: Effect[]; labels: NoiseLabel[] } {
  const rng = Rng.derive(seed, 'healthy-noise');
  const effects: Effect[] = [];
  const labels: NoiseLabel[] = [];

  // Bridges: GNSS no-fix for 1.5–4.5 s, localization a little less certain.
  if (durationS >= 30) {
    for (const s of spread(rng, Math.max(1, Math.round(durationS / 150)), durationS, 10)) {
      const e = s + rng.uniform(1.5, 4.5);
      labels.push({ kind: 'gnss_bridge', startS: s, endS: e });
      effects.push({
        label: 'noise:gnss_bridge',
        startS: s,
        endS: e,
        alter: {
          [TOPIC.gnss]: (t, m) => {
            if (t < s || t >= e) return;
            m.status.status = -1;
            m.position_covariance = [0, 0, 0, 0, 0, 0, 0, 0, 0];
            m.position_covariance_type = 0;
          },
          [TOPIC.pose]: (t, m) => {
            if (t >= s && t < e + 2) m.cov_trace = round(Math.min(0.45, m.cov_trace + 0.12), 4);
          },
        },
      });
    }
  }

  // Single WARN statuses, held ≤ 1.5 s so they clear within 2 s.
  for (const s of spread(rng, Math.max(1, Math.round(durationS / 70)), durationS, 3)) {
    const blip = rng.pick(BLIPS);
    const e = s + rng.uniform(0.6, 1.5);
    const report: StatusReport = { ...blip, level: LEVEL.WARN };
    labels.push({ kind: 'warn_blip', startS: s, endS: e, subsystem: blip.name });
    effects.push({ label: 'noise:warn_blip', startS: s, endS: e, statuses: (t) => (t >= s && t < e ? [report] : []) });
  }

  // CPU load spikes of 80–89 % for 2–4 s.
  for (const s of spread(rng, Math.max(1, Math.round(durationS / 60)), durationS, 6)) {
    const e = s + rng.uniform(2, 4);
    const spikeSeed = rng.int(0, 2 ** 31);
    labels.push({ kind: 'cpu_spike', startS: s, endS: e });
    effects.push({
      label: 'noise:cpu_spike',
      startS: s,
      endS: e,
      alter: {
        [TOPIC.compute]: (t, m) => {
          if (t >= s && t < e) m.cpu_load_pct = round(80 + 9 * hashNoise(spikeSeed, t), 1);
        },
      },
      logs: [{ t: s + 0.2, level: LOG.INFO, node: 'perception', msg: 'dense scene, tracker load high' }],
    });
  }
  return { effects, labels };
}
