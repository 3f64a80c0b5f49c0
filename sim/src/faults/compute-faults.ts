/**
 * Injectors for the main compute: 0xA001 thermal throttle, 0xA002 disk full,
 * 0xA003 GPU ECC errors, 0xA004 perception memory leak, 0xE002 planner overrun.
 */
import { hashNoise, hashNormal, LEVEL, LOG, ramp, repeatLog, round, type StatusReport } from '../effects.js';
import { TOPIC } from '../reference-vehicle.js';
import type { FaultInjector } from './fault-injector.js';

/**
 * 0xA001 CPU_THERMAL_THROTTLE: CPU temperature climbs to ~99 °C in 25 s,
 * holds above 95 °C for ~55 s (catalogue: > 95 for ≥ 30 s), then cools.
 * Consequences follow the temperature: planning latency 105–150 ms, perception
 * latency up, CPU load pinned; adcu_thermal ERROR "cpu throttling".
 */
export const cpuThermalThrottle: FaultInjector = {
  code: '0xA001',
  durationS: 90,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const heat = (t: number): number => {
      if (t < startS || t > endS) return 0;
      if (t < startS + 25) return ramp(t, startS, startS + 25, 66, 99);
      if (t < endS - 15) return 99 + 1.2 * Math.sin((t - startS) / 6);
      return ramp(t, endS - 15, endS, 99, 68);
    };
    const report: StatusReport = { name: 'adcu_thermal', level: LEVEL.ERROR, message: 'cpu throttling', code: '0xA001' };
    const hot = (t: number): boolean => heat(t) > 95;
    let warned = startS;
    for (let t = startS; t < endS; t += 0.5) if (heat(t) > 90) { warned = t; break; }
    return {
      label: '0xA001',
      startS,
      endS,
      alter: {
        [TOPIC.compute]: (t, s) => {
          const h = heat(t);
          if (h === 0) return;
          s.cpu_temp_c = round(Math.max(s.cpu_temp_c, h + hashNormal(seed, t, 0, 0.4)), 1);
          if (h > 90) s.cpu_load_pct = round(Math.max(s.cpu_load_pct, 88 + 8 * hashNoise(seed, t, 1)), 1);
        },
        [TOPIC.planning]: (t, s) => {
          const h = heat(t);
          if (h > 95) s.latency_ms = round(Math.max(s.latency_ms, 106 + (h - 95) * 8 + 12 * hashNoise(seed, t, 2)), 2);
          else if (h > 85) s.latency_ms = round(s.latency_ms + (h - 85) * 2.5, 2);
          if (s.latency_ms > 100) s.status = 'overrun';
        },
        [TOPIC.perception]: (t, s) => {
          const h = heat(t);
          if (h > 88) s.latency_ms = round(s.latency_ms + (h - 88) * 2.2, 2);
        },
      },
      statuses: (t) => (hot(t) ? [report] : []),
      logs: [
        { t: warned, level: LOG.WARN, node: 'thermal_monitor', msg: 'cpu package temperature above 90 C' },
        ...repeatLog(warned + 8, endS - 14, 20, { level: LOG.WARN, node: 'thermal_monitor', msg: 'cpu clock reduced' }),
      ],
    };
  },
};

/**
 * 0xA002 RECORDER_DISK_FULL: free space starts at a few GB and runs out:
 * below 1 GB from the onset (catalogue: < 1), empty ~20 s later, after which
 * the recorder logs "write failed: no space left on device" every 4 s to the end.
 */
export const recorderDiskFull: FaultInjector = {
  code: '0xA002',
  durationS: 60,
  needsMotion: false,
  create({ startS, driveS }) {
    const free = (t: number): number =>
      t < startS ? ramp(t, 0, startS, 4.6, 1.0) : Math.max(0, ramp(t, startS, startS + 20, 0.95, 0.01));
    return {
      label: '0xA002',
      startS,
      endS: driveS,
      alter: {
        [TOPIC.compute]: (t, s) => {
          s.disk_free_gb = round(free(t), 3);
        },
      },
      logs: [
        { t: startS + 1, level: LOG.WARN, node: 'recorder', msg: 'disk space low' },
        ...repeatLog(startS + 20, driveS, 4, { level: LOG.ERROR, node: 'recorder', msg: 'write failed: no space left on device' }),
      ],
    };
  },
};

/**
 * 0xA003 GPU_ECC_ERRORS: the cumulative ECC counter rises by ~40 over the
 * window in irregular steps (catalogue: increase ≥ 10) and never goes back;
 * gpu ERROR "uncorrectable ECC errors" from the first error to the end.
 */
export const gpuEccErrors: FaultInjector = {
  code: '0xA003',
  durationS: 60,
  needsMotion: false,
  create({ startS, endS, driveS, seed }) {
    const total = 40;
    const extra = (t: number): number => {
      if (t < startS) return 0;
      const x = Math.min(1, (t - startS) / (endS - startS));
      return Math.min(total, Math.ceil(total * x * (0.85 + 0.3 * hashNoise(seed, Math.floor(t), 0))));
    };
    let peak = 0; // keep the counter monotonic despite the noisy steps
    const report: StatusReport = { name: 'gpu', level: LEVEL.ERROR, message: 'uncorrectable ECC errors', code: '0xA003' };
    return {
      label: '0xA003',
      startS,
      endS,
      alter: {
        [TOPIC.compute]: (t, s) => {
          peak = Math.max(peak, extra(t));
          s.gpu_ecc_errors += peak;
        },
      },
      statuses: (t) => (t >= startS + 1 ? [report] : []),
      logs: repeatLog(startS + 5, Math.min(driveS, endS), 15, {
        level: LOG.WARN,
        node: 'perception',
        msg: 'detector output contained NaN, frame discarded',
      }),
    };
  },
};

/**
 * 0xA004 PERCEPTION_MEMORY_LEAK: memory climbs steadily by ~50 points over
 * the window (catalogue: rise ≥ 25), then the perception node is killed
 * ("killed: out of memory", FATAL), /perception/summary stops for 5 s while it
 * restarts, and memory falls back.
 */
export const perceptionMemoryLeak: FaultInjector = {
  code: '0xA004',
  durationS: 140,
  needsMotion: false,
  create({ startS, endS }) {
    return {
      label: '0xA004',
      startS,
      endS,
      alter: {
        [TOPIC.compute]: (t, s) => {
          if (t >= startS && t < endS) s.mem_used_pct = round(Math.min(97.5, s.mem_used_pct + ramp(t, startS, endS, 0, 50)), 1);
        },
      },
      drop: { [TOPIC.perception]: (t) => t >= endS && t < endS + 5 },
      logs: [
        { t: startS + (endS - startS) * 0.6, level: LOG.WARN, node: 'perception', msg: 'tracker history buffer large' },
        { t: endS - 0.2, level: LOG.FATAL, node: 'perception', msg: 'killed: out of memory' },
        { t: endS + 5, level: LOG.INFO, node: 'perception', msg: 'node started' },
      ],
    };
  },
};

/**
 * 0xE002 PLANNER_CYCLE_OVERRUN: for 40 s about 60 % of planning cycles take
 * 108–170 ms (catalogue: > 100 ms on ≥ 20 cycles) while the compute stays
 * cool; the planner logs "cycle overrun" every 2 s.
 */
export const plannerCycleOverrun: FaultInjector = {
  code: '0xE002',
  durationS: 40,
  needsMotion: false,
  create({ startS, endS, seed }) {
    return {
      label: '0xE002',
      startS,
      endS,
      alter: {
        [TOPIC.planning]: (t, s) => {
          if (t < startS || t >= endS) return;
          const slot = Math.floor(t * 10);
          if (hashNoise(seed, slot, 0) < 0.6) {
            s.latency_ms = round(108 + 62 * hashNoise(seed, slot, 1), 2);
            s.status = 'overrun';
          } else {
            s.latency_ms = round(Math.max(s.latency_ms, 70 + 22 * hashNoise(seed, slot, 2)), 2);
          }
        },
      },
      logs: repeatLog(startS + 0.3, endS, 2, { level: LOG.ERROR, node: 'planner', msg: 'cycle overrun' }),
    };
  },
};
