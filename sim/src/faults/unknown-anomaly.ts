/**
 * Anomalies no catalogue entry describes, for testing how a diagnosis handles
 * the unknown. Each kind misbehaves on signals of the reference vehicle
 * (REFERENCE-VEHICLE.md) in a way no catalogue signature names, with no
 * status and no catalogue log line pointing at it:
 *
 * - `pack_temp_rise`: the traction pack heats from ~30 °C to ~70 °C within a minute;
 * - `stuck_signal`: a value freezes while its topic keeps publishing
 *   (front-lidar point count, localization pose, HV pack voltage);
 * - `level_step`: a numeric field jumps to a new level and stays there
 *   (backbone RTT, perception latency, chassis-CAN error frames well below bus-off);
 * - `oscillation`: a field swings periodically (HV pack voltage, 12 V net, IMU roll rate);
 * - `rate_collapse`: a topic keeps publishing at a fraction of its rate
 *   (IMU, localization pose, front radar) — no catalogue fault names these rates;
 * - `error_burst`: a node logs a burst of ERROR lines no catalogue entry knows.
 *
 * Every kind has variants (which signal); all are pure functions of time.
 */
import { hashNormal, LOG, ramp, repeatLog, round, within, type Effect } from '../effects.js';
import { TOPIC } from '../reference-vehicle.js';

/** The kinds of unknown anomaly the simulator can inject. */
export const UNKNOWN_ANOMALY_KINDS = ['pack_temp_rise', 'stuck_signal', 'level_step', 'oscillation', 'rate_collapse', 'error_burst'] as const;
/** One kind of unknown anomaly. */
export type UnknownAnomalyKind = (typeof UNKNOWN_ANOMALY_KINDS)[number];

/** Which anomaly to inject: a kind and the variant (signal) of that kind (default 0). */
export interface UnknownAnomalyRequest {
  readonly kind: UnknownAnomalyKind;
  readonly variant?: number;
}

/** Description of the injected anomaly (for the scenario label). */
export interface AnomalyLabel {
  readonly kind: UnknownAnomalyKind;
  /** `topic.field` (or `topic`, or `/rosout:node`) that misbehaves. */
  readonly signal: string;
  readonly startS: number;
  readonly endS: number;
}

/** Default duration of the pack-temperature anomaly, s. */
export const ANOMALY_DURATION_S = 90;

interface Variant {
  signal: string;
  build(startS: number, endS: number, seed: number): Pick<Effect, 'alter' | 'drop' | 'logs'>;
}

/** A value held from the first sample at or after `startS` until `endS`. */
function holder<T>(): (t: number, startS: number, endS: number, now: T) => T {
  let held: T | undefined;
  return (t, startS, endS, now) => {
    if (!within(t, startS, endS)) return now;
    held ??= now;
    return held;
  };
}

/** Keeps one sample in `keep` of a topic publishing at `hz` inside the window. */
const thin = (startS: number, endS: number, hz: number, keep: number) => (t: number): boolean =>
  within(t, startS, endS) && Math.round(t * hz) % keep !== 0;

const VARIANTS: Record<UnknownAnomalyKind, { durationS: number; variants: Variant[] }> = {
  pack_temp_rise: {
    durationS: ANOMALY_DURATION_S,
    variants: [{
      signal: `${TOPIC.battery}.pack_temp_c`,
      build: (startS, endS, seed) => ({
        alter: {
          [TOPIC.battery]: (t, s) => {
            if (t < startS) return;
            const rise = t < endS ? ramp(t, startS, startS + 60, 0, 41) : 41 * Math.exp(-(t - endS) / 300);
            s.pack_temp_c = round(s.pack_temp_c + rise + hashNormal(seed, t, 0, 0.15), 2);
          },
        },
      }),
    }],
  },
  stuck_signal: {
    durationS: 70,
    variants: [
      {
        // The lidar driver republishes the same scan: header and seq advance, the point count does not.
        signal: `${TOPIC.lidar}.count`,
        build: (startS, endS) => {
          const hold = holder<number>();
          return { alter: { [TOPIC.lidar]: (t, s) => { s.count = hold(t, startS, endS, s.count); } } };
        },
      },
      {
        // Localization output freezes (x, y, yaw) while its covariance stays healthy.
        signal: `${TOPIC.pose}.x`,
        build: (startS, endS) => {
          const hold = holder<[number, number, number]>();
          return {
            alter: {
              [TOPIC.pose]: (t, s) => {
                [s.x, s.y, s.yaw] = hold(t, startS, endS, [s.x, s.y, s.yaw]);
              },
            },
          };
        },
      },
      {
        // The BMS pack-voltage sense freezes at its last reading.
        signal: `${TOPIC.battery}.hv_voltage_v`,
        build: (startS, endS) => {
          const hold = holder<number>();
          return { alter: { [TOPIC.battery]: (t, s) => { s.hv_voltage_v = hold(t, startS, endS, s.hv_voltage_v); } } };
        },
      },
    ],
  },
  level_step: {
    durationS: 70,
    variants: [
      {
        // The backbone switch port renegotiates to a slower link: RTT jumps, no packet loss.
        signal: `${TOPIC.network}.rtt_ms`,
        build: (startS, endS, seed) => ({
          alter: { [TOPIC.network]: (t, s) => { if (within(t, startS, endS)) s.rtt_ms = round(7.5 + hashNormal(seed, t, 0, 0.4), 3); } },
        }),
      },
      {
        // Perception latency steps up by ~25 ms (still under the planner's budget).
        signal: `${TOPIC.perception}.latency_ms`,
        build: (startS, endS, seed) => ({
          alter: { [TOPIC.perception]: (t, s) => { if (within(t, startS, endS)) s.latency_ms = round(s.latency_ms + 25 + hashNormal(seed, t, 0, 1), 2); } },
        }),
      },
      {
        // Chassis CAN error frames rise to 20–45/s and stay there; far from bus-off (catalogue: > 100 with bus_off).
        signal: `${TOPIC.can}.error_frames`,
        build: (startS, endS, seed) => ({
          alter: {
            [TOPIC.can]: (t, s) => {
              if (s.bus === 'chassis' && within(t, startS, endS)) s.error_frames = Math.round(32 + Math.max(-12, Math.min(12, hashNormal(seed, t, 0, 5))));
            },
          },
        }),
      },
    ],
  },
  oscillation: {
    durationS: 50,
    variants: [
      {
        signal: `${TOPIC.battery}.hv_voltage_v`,
        build: (startS, endS) => ({
          alter: { [TOPIC.battery]: (t, s) => { if (within(t, startS, endS)) s.hv_voltage_v = round(s.hv_voltage_v + 20 * Math.sin(2 * Math.PI * 1.1 * t), 1); } },
        }),
      },
      {
        // The 12 V net hunts between 13.1 and 14.9 V (never below the catalogue's 11.8 V).
        signal: `${TOPIC.battery}.lv_voltage_v`,
        build: (startS, endS) => ({
          alter: { [TOPIC.battery]: (t, s) => { if (within(t, startS, endS)) s.lv_voltage_v = round(14.0 + 0.9 * Math.sin(2 * Math.PI * 1.3 * t), 3); } },
        }),
      },
      {
        // A loose IMU mount resonates: roll rate swings ±0.25 rad/s at 4 Hz.
        signal: `${TOPIC.imu}.angular_velocity.x`,
        build: (startS, endS) => ({
          alter: { [TOPIC.imu]: (t, s) => { if (within(t, startS, endS)) s.angular_velocity.x += 0.25 * Math.sin(2 * Math.PI * 4 * t); } },
        }),
      },
    ],
  },
  rate_collapse: {
    durationS: 70,
    variants: [
      { signal: TOPIC.imu, build: (startS, endS) => ({ drop: { [TOPIC.imu]: thin(startS, endS, 100, 8) } }) },
      { signal: TOPIC.pose, build: (startS, endS) => ({ drop: { [TOPIC.pose]: thin(startS, endS, 20, 6) } }) },
      { signal: TOPIC.radar, build: (startS, endS) => ({ drop: { [TOPIC.radar]: thin(startS, endS, 20, 5) } }) },
    ],
  },
  error_burst: {
    durationS: 40,
    variants: [
      { signal: `${TOPIC.rosout}:tf`, build: (startS, endS) => ({ logs: repeatLog(startS, endS, 1.5, { level: LOG.ERROR, node: 'tf', msg: 'lookup would require extrapolation into the past' }) }) },
      { signal: `${TOPIC.rosout}:bms_monitor`, build: (startS, endS) => ({ logs: repeatLog(startS, endS, 2, { level: LOG.ERROR, node: 'bms_monitor', msg: 'contactor feedback mismatch on HV-' }) }) },
      { signal: `${TOPIC.rosout}:vehicle_interface`, build: (startS, endS) => ({ logs: repeatLog(startS, endS, 1, { level: LOG.ERROR, node: 'vehicle_interface', msg: 'steering torque sensor plausibility check failed' }) }) },
    ],
  },
};

/** Whether `req` names a kind and one of its variants. */
export function isAnomalyRequest(req: UnknownAnomalyRequest): boolean {
  const spec = (VARIANTS as Partial<typeof VARIANTS>)[req.kind];
  const v = req.variant ?? 0;
  return spec !== undefined && Number.isInteger(v) && v >= 0 && v < spec.variants.length;
}

/** How many variants `kind` has. */
export function anomalyVariants(kind: UnknownAnomalyKind): number {
  return VARIANTS[kind].variants.length;
}

/** How long `kind` lasts by default, s. */
export function anomalyDurationS(kind: UnknownAnomalyKind): number {
  return VARIANTS[kind].durationS;
}

/**
 * Builds the anomaly `req` over [startS, endS).
 * @throws RangeError for an unknown kind or variant
 */
export function unknownAnomaly(req: UnknownAnomalyRequest, startS: number, endS: number, seed: number): { effect: Effect; label: AnomalyLabel } {
  const v = isAnomalyRequest(req) ? VARIANTS[req.kind].variants[req.variant ?? 0] : undefined;
  if (!v) throw new RangeError(`unknown anomaly ${String(req.kind)} variant ${req.variant ?? 0} (kinds: ${UNKNOWN_ANOMALY_KINDS.join(', ')})`);
  const effect: Effect = { label: `anomaly:${req.kind}`, startS, endS, ...v.build(startS, endS, seed) };
  return { effect, label: { kind: req.kind, signal: v.signal, startS, endS } };
}

/** Builds the pack-temperature anomaly over [startS, endS). */
export function packTempAnomaly(startS: number, endS: number, seed: number): { effect: Effect; label: AnomalyLabel } {
  return unknownAnomaly({ kind: 'pack_temp_rise' }, startS, endS, seed);
}
