/**
 * Healthy models of the platform topics: /power/battery, /compute/stats,
 * /network/stats, /can/stats, /time_sync/status.
 */
import { round } from './effects.js';
import { CAN_BUSES, TOPIC } from './reference-vehicle.js';
import { regularTimes, topicRng, type SimContext, type TopicModel } from './topic-model.js';

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** /power/battery at 10 Hz: 12 V net 13.6–14.4 V, cell delta < 30 mV, SoC slowly falling. */
export function batteryModel(ctx: SimContext): TopicModel<typeof TOPIC.battery> {
  const rng = topicRng(ctx, TOPIC.battery);
  const soc0 = rng.uniform(55, 92);
  const temp0 = rng.uniform(23, 31);
  const [vLo, vHi] = ctx.body.hvVoltageV;
  let soc = soc0;
  let lastT = 0;
  return {
    topic: TOPIC.battery,
    times: () => regularTimes(rng, 10, ctx.durationS),
    sample(t) {
      const p = ctx.profile.at(t);
      soc -= (t - lastT) * (0.0004 + 0.00012 * p.speed + 0.0006 * Math.max(0, p.accel));
      lastT = t;
      const load = Math.max(0, p.accel) * 0.08 + (p.brakePedal ? 0.03 : 0);
      return {
        lv_voltage_v: round(clamp(14.0 + 0.12 * Math.sin(t / 13) - load + rng.normal(0, 0.03), 13.65, 14.35), 3),
        hv_soc_pct: round(soc, 2),
        hv_voltage_v: round(vLo + ((vHi - vLo) * soc) / 100 - 6 * Math.max(0, p.accel) + rng.normal(0, 0.4), 1),
        cell_delta_mv: round(clamp(13 + 5 * Math.sin(t / 41) + rng.normal(0, 1.5), 5, 26), 1),
        pack_temp_c: round(temp0 + 6 * (1 - Math.exp(-t / 1500)) + rng.normal(0, 0.05), 2),
      };
    },
  };
}

/** /compute/stats at 1 Hz: load 35–70 %, CPU 55–75 °C following load, ECC count steady. */
export function computeModel(ctx: SimContext): TopicModel<typeof TOPIC.compute> {
  const rng = topicRng(ctx, TOPIC.compute);
  const disk0 = rng.uniform(140, 420);
  const mem0 = rng.uniform(40, 48);
  const ecc0 = rng.chance(0.3) ? rng.int(1, 3) : 0;
  let temp = 63;
  return {
    topic: TOPIC.compute,
    times: () => regularTimes(rng, 1, ctx.durationS),
    sample(t) {
      const load = clamp(50 + 9 * Math.sin(t / 31) + rng.normal(0, 4), 36, 70);
      temp += (48 + 0.3 * load - temp) * 0.15; // first-order thermal response
      return {
        cpu_load_pct: round(load, 1),
        cpu_temp_c: round(clamp(temp + rng.normal(0, 0.3), 56, 74), 1),
        gpu_temp_c: round(clamp(60 + 4 * Math.sin(t / 47) + rng.normal(0, 0.5), 55, 70), 1),
        gpu_ecc_errors: ecc0,
        mem_used_pct: round(mem0 + 1.5 * Math.sin(t / 60) + rng.normal(0, 0.2), 1),
        disk_free_gb: round(disk0 - 0.006 * t, 2),
      };
    },
  };
}

/** /network/stats at 1 Hz: backbone loss < 0.5 %. */
export function networkModel(ctx: SimContext): TopicModel<typeof TOPIC.network> {
  const rng = topicRng(ctx, TOPIC.network);
  return {
    topic: TOPIC.network,
    times: () => regularTimes(rng, 1, ctx.durationS),
    sample: () => ({
      link: 'backbone',
      loss_pct: round(clamp(Math.abs(rng.normal(0, 0.07)), 0, 0.35), 3),
      rtt_ms: round(clamp(0.7 + rng.normal(0, 0.15), 0.3, 1.5), 3),
    }),
  };
}

/** /can/stats: one message per bus (pt, chassis) every second; load 30–60 %, few error frames. */
export function canModel(ctx: SimContext): TopicModel<typeof TOPIC.can> {
  const rng = topicRng(ctx, TOPIC.can);
  return {
    topic: TOPIC.can,
    *times() {
      // The gateway reports the buses back to back, 4 ms apart.
      for (const t of regularTimes(rng, 1, ctx.durationS - 0.005)) {
        yield t;
        yield t + 0.004;
      }
    },
    sample(t, n) {
      const bus = CAN_BUSES[n % 2] ?? 'pt';
      const base = bus === 'pt' ? 44 : 37;
      return {
        bus,
        load_pct: round(clamp(base + 5 * Math.sin(t / 17 + (n % 2) * 2) + rng.normal(0, 2), 31, 59), 1),
        error_frames: rng.chance(0.08) ? rng.int(1, 3) : 0,
        bus_off: false,
      };
    },
  };
}

/** /time_sync/status at 1 Hz: locked, |offset| well under 50 µs. */
export function timeSyncModel(ctx: SimContext): TopicModel<typeof TOPIC.timeSync> {
  const rng = topicRng(ctx, TOPIC.timeSync);
  return {
    topic: TOPIC.timeSync,
    times: () => regularTimes(rng, 1, ctx.durationS),
    sample: () => ({ ptp_offset_ns: Math.round(clamp(rng.normal(0, 9000), -40_000, 40_000)), locked: true }),
  };
}
