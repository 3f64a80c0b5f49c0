/** Injectors for the perception sensors: 0x8004 lidar timeout, 0x8011 camera frame drop, 0x8021 radar blockage. */
import { hashNoise, LEVEL, LOG, repeatLog, type LogLine, type StatusReport } from '../effects.js';
import { TOPIC } from '../reference-vehicle.js';
import type { FaultInjector } from './fault-injector.js';

/**
 * 0x8004 LIDAR_FRONT_TIMEOUT: five scan gaps of 0.7–1.6 s (catalogue: ≥ 3 gaps
 * ≥ 500 ms), lidar_front ERROR "no data received" through each gap, and the
 * driver's "front lidar packet timeout" ERROR line once per gap.
 */
export const lidarTimeout: FaultInjector = {
  code: '0x8004',
  durationS: 40,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const count = 5;
    const slot = (endS - startS) / count;
    const gaps = Array.from({ length: count }, (_, i) => {
      const s = startS + i * slot + hashNoise(seed, i, 1) * Math.max(0, slot - 3);
      return [s, s + 0.7 + 0.9 * hashNoise(seed, i, 2)] as const;
    });
    const logs: LogLine[] = gaps.flatMap(([s]) => [
      { t: s + 0.3, level: LOG.ERROR, node: 'lidar_driver', msg: 'front lidar packet timeout' },
      { t: s + 0.45, level: LOG.WARN, node: 'perception', msg: 'lidar_front input stale, fusing camera and radar only' },
    ]);
    const report: StatusReport = { name: 'lidar_front', level: LEVEL.ERROR, message: 'no data received', code: '0x8004' };
    return {
      label: '0x8004',
      startS: gaps[0]?.[0] ?? startS,
      endS: Math.max(...gaps.map(([, e]) => e)),
      drop: { [TOPIC.lidar]: (t) => gaps.some(([s, e]) => t >= s && t < e) },
      // Held 1.2 s past the gap so a 1 Hz diagnostics tick always sees it.
      statuses: (t) => (gaps.some(([s, e]) => t >= s && t < e + 1.2) ? [report] : []),
      logs,
    };
  },
};

/**
 * 0x8011 CAMERA_FRONT_FRAME_DROP: about 60 % of frames dropped (≈ 12 Hz
 * against a 20 Hz threshold) for 30 s, camera_front WARN "frame drop".
 */
export const cameraFrameDrop: FaultInjector = {
  code: '0x8011',
  durationS: 30,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const report: StatusReport = { name: 'camera_front', level: LEVEL.WARN, message: 'frame drop', code: '0x8011' };
    return {
      label: '0x8011',
      startS,
      endS,
      drop: { [TOPIC.camera]: (t) => t >= startS && t < endS && hashNoise(seed, t) < 0.6 },
      statuses: (t) => (t >= startS + 1 && t < endS + 1 ? [report] : []),
      logs: repeatLog(startS + 1.5, endS, 10, { level: LOG.WARN, node: 'camera_driver', msg: 'frames missing from serializer link' }),
    };
  },
};

/**
 * 0x8021 RADAR_BLOCKAGE: zero detections for 45 s while the vehicle keeps
 * moving (> 5 m/s is held by the drive profile), radar_front WARN "sensor blockage".
 */
export const radarBlockage: FaultInjector = {
  code: '0x8021',
  durationS: 45,
  needsMotion: true,
  create({ startS, endS }) {
    const report: StatusReport = { name: 'radar_front', level: LEVEL.WARN, message: 'sensor blockage', code: '0x8021' };
    return {
      label: '0x8021',
      startS,
      endS,
      alter: {
        [TOPIC.radar]: (t, s) => {
          if (t >= startS && t < endS) s.count = 0;
        },
      },
      statuses: (t) => (t >= startS + 3 && t < endS ? [report] : []),
    };
  },
};
