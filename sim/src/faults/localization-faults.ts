/** Injectors for localization: 0x9001 GNSS fix lost, 0x9002 IMU saturation, 0xE001 localization divergence. */
import { G } from '../chassis-models.js';
import { hashNoise, hashNormal, LEVEL, LOG, ramp, repeatLog, round, type StatusReport } from '../effects.js';
import { TOPIC } from '../reference-vehicle.js';
import type { FaultInjector } from './fault-injector.js';

/**
 * 0x9001 GNSS_FIX_LOST: status −1 for 50 s (catalogue: ≥ 30 s), covariance
 * unknown, gnss WARN "no fix"; localization uncertainty grows as a consequence
 * (but stays below the divergence threshold of 0xE001).
 */
export const gnssFixLost: FaultInjector = {
  code: '0x9001',
  durationS: 50,
  needsMotion: false,
  create({ startS, endS }) {
    const report: StatusReport = { name: 'gnss', level: LEVEL.WARN, message: 'no fix', code: '0x9001' };
    return {
      label: '0x9001',
      startS,
      endS,
      alter: {
        [TOPIC.gnss]: (t, s) => {
          if (t < startS || t >= endS) return;
          s.status.status = -1;
          s.position_covariance = [0, 0, 0, 0, 0, 0, 0, 0, 0];
          s.position_covariance_type = 0;
        },
        [TOPIC.pose]: (t, s) => {
          if (t >= startS && t < endS + 5) {
            const extra = t < endS ? ramp(t, startS, startS + 40, 0, 1.1) : ramp(t, endS, endS + 5, 1.1, 0);
            s.cov_trace = round(s.cov_trace + extra, 4);
          }
        },
      },
      statuses: (t) => (t >= startS + 2 && t < endS ? [report] : []),
      logs: [
        { t: startS + 0.5, level: LOG.WARN, node: 'gnss_driver', msg: 'correction stream lost' },
        ...repeatLog(startS + 2, endS, 15, { level: LOG.WARN, node: 'gnss_driver', msg: 'no fix, searching' }),
        { t: endS + 0.3, level: LOG.INFO, node: 'gnss_driver', msg: 'fix reacquired' },
      ],
    };
  },
};

const LIMIT = 16 * G;

/**
 * 0x9002 IMU_SATURATION: the loose unit resonates; in ten 0.8 s bursts the
 * z acceleration swings past ±16 g and clips at exactly ±16 g (≈ 150–400
 * samples at the limit; catalogue: ≥ 50).
 */
export const imuSaturation: FaultInjector = {
  code: '0x9002',
  durationS: 20,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const burst = (t: number): boolean => t >= startS && t < endS && (t - startS) % 2 < 0.8;
    const clip = (x: number): number => Math.max(-LIMIT, Math.min(LIMIT, x));
    return {
      label: '0x9002',
      startS,
      endS,
      alter: {
        [TOPIC.imu]: (t, s) => {
          if (!burst(t)) return;
          const w = 2 * Math.PI * 27 * t;
          s.linear_acceleration.z = clip(G + 240 * Math.sin(w) + hashNormal(seed, t, 0, 5));
          s.linear_acceleration.x += 35 * Math.sin(w + 1.1) * hashNoise(seed, t, 1);
          s.linear_acceleration.y += 25 * Math.sin(w + 2.3) * hashNoise(seed, t, 2);
        },
      },
    };
  },
};

/**
 * 0xE001 LOCALIZATION_DIVERGENCE: covariance trace climbs past 2.0 within
 * 8 s and keeps growing (catalogue: > 2.0 for ≥ 5 s), the pose jumps by
 * metres, and localization logs "pose covariance diverged".
 */
export const localizationDivergence: FaultInjector = {
  code: '0xE001',
  durationS: 35,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const cross = startS + 8;
    const trace = (t: number): number =>
      t < cross ? 0.2 * Math.exp((Math.log(12) * (t - startS)) / 8) : 2.4 + 0.35 * (t - cross);
    return {
      label: '0xE001',
      startS,
      endS,
      alter: {
        [TOPIC.pose]: (t, s) => {
          if (t < startS || t >= endS) return;
          const c = trace(t);
          s.cov_trace = round(Math.max(s.cov_trace, c), 4);
          if (c > 1) {
            s.x = round(s.x + hashNormal(seed, t, 0, c), 3);
            s.y = round(s.y + hashNormal(seed, t, 1, c), 3);
            s.yaw = round(s.yaw + hashNormal(seed, t, 2, 0.02 * c), 4);
          }
        },
      },
      logs: [
        { t: startS + 3, level: LOG.WARN, node: 'localization', msg: 'scan match score low' },
        ...repeatLog(cross + 0.2, endS, 5, { level: LOG.ERROR, node: 'localization', msg: 'pose covariance diverged' }),
      ],
    };
  },
};
