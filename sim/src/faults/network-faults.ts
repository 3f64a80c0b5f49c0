/** Injectors for the in-vehicle network: 0xF001 time sync lost, 0xF002 Ethernet packet loss. */
import { hashNoise, LEVEL, LOG, repeatLog, round, type StatusReport } from '../effects.js';
import { TOPIC } from '../reference-vehicle.js';
import type { RosTime, SensorHeartbeat } from '../samples.js';
import type { FaultInjector } from './fault-injector.js';

function shift(stamp: RosTime, ns: number): RosTime {
  const total = BigInt(stamp.sec) * 1_000_000_000n + BigInt(stamp.nanosec) + BigInt(Math.round(ns));
  return { sec: Number(total / 1_000_000_000n), nanosec: Number(total % 1_000_000_000n) };
}

/**
 * 0xF001 TIME_SYNC_LOST: PTP unlocked for 40 s (catalogue: ≥ 10 s) while the
 * offset runs away at ~0.8 ms/s (catalogue: > 1 ms); ptp ERROR "clock not
 * synchronised". Consequence: sensor header stamps drift by the offset.
 */
export const timeSyncLost: FaultInjector = {
  code: '0xF001',
  durationS: 40,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const offset = (t: number): number => 200_000 + 800_000 * (t - startS);
    const active = (t: number): boolean => t >= startS && t < endS;
    const restamp = (t: number, s: SensorHeartbeat): void => {
      if (active(t)) s.header.stamp = shift(s.header.stamp, offset(t));
    };
    const report: StatusReport = { name: 'ptp', level: LEVEL.ERROR, message: 'clock not synchronised', code: '0xF001' };
    return {
      label: '0xF001',
      startS,
      endS,
      alter: {
        [TOPIC.timeSync]: (t, s) => {
          if (!active(t)) return;
          s.locked = false;
          s.ptp_offset_ns = Math.round(offset(t) * (0.95 + 0.1 * hashNoise(seed, t)));
        },
        [TOPIC.lidar]: restamp,
        [TOPIC.radar]: restamp,
      },
      statuses: (t) => (t >= startS + 1.5 && t < endS ? [report] : []),
      logs: [
        { t: startS + 0.5, level: LOG.WARN, node: 'localization', msg: 'grandmaster changed' },
        ...repeatLog(startS + 6, endS, 10, { level: LOG.WARN, node: 'perception', msg: 'lidar and camera stamps disagree' }),
      ],
    };
  },
};

/**
 * 0xF002 ETHERNET_PACKET_LOSS: backbone loss 3–8 % for 45 s (catalogue: > 2 %
 * for ≥ 20 s), RTT up; network WARN "packet loss"; ~4 % of camera frames lost.
 */
export const ethernetPacketLoss: FaultInjector = {
  code: '0xF002',
  durationS: 45,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const active = (t: number): boolean => t >= startS && t < endS;
    const report: StatusReport = { name: 'network', level: LEVEL.WARN, message: 'packet loss', code: '0xF002' };
    return {
      label: '0xF002',
      startS,
      endS,
      alter: {
        [TOPIC.network]: (t, s) => {
          if (!active(t)) return;
          s.loss_pct = round(3 + 5 * hashNoise(seed, t, 0), 3);
          s.rtt_ms = round(2 + 4 * hashNoise(seed, t, 1), 3);
        },
      },
      drop: { [TOPIC.camera]: (t) => active(t) && hashNoise(seed, t, 2) < 0.04 },
      statuses: (t) => (t >= startS + 1 && t < endS + 1 ? [report] : []),
    };
  },
};
