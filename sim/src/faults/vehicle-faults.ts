/**
 * Injectors for the vehicle platform: 0xB001 CAN bus-off, 0xB002 CAN bus load,
 * 0xC001 12 V undervoltage, 0xC002 HV cell imbalance, 0xD001 brake pressure
 * drift, 0xD002 steering mismatch, 0xD003 wheel-speed sensor.
 */
import { hashNoise, hashNormal, LEVEL, LOG, ramp, repeatLog, round, type StatusReport } from '../effects.js';
import { TOPIC } from '../reference-vehicle.js';
import type { FaultInjector } from './fault-injector.js';

/**
 * 0xB001 CAN_BUS_OFF: a burst of 150–900 error frames/s on the chassis bus
 * (catalogue: > 100), then two bus-off episodes of 2.5–4 s during which
 * /vehicle/state stalls (catalogue consequence: gap ≥ 300 ms);
 * can_gateway ERROR "bus off"; downstream nodes warn about stale input.
 */
export const canBusOff: FaultInjector = {
  code: '0xB001',
  durationS: 24,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const episodes = [0, 1].map((i) => {
      const s = startS + 4 + i * 9 + 2 * hashNoise(seed, i, 0);
      return [s, s + 2.5 + 1.5 * hashNoise(seed, i, 1)] as const;
    });
    const off = (t: number): boolean => episodes.some(([s, e]) => t >= s && t < e);
    const report: StatusReport = { name: 'can_gateway', level: LEVEL.ERROR, message: 'bus off', code: '0xB001' };
    return {
      label: '0xB001',
      startS,
      endS,
      alter: {
        [TOPIC.can]: (t, s) => {
          if (s.bus !== 'chassis' || t < startS || t >= endS) return;
          s.error_frames = Math.round(150 + 750 * hashNoise(seed, t, 2));
          s.bus_off = off(t);
          s.load_pct = s.bus_off ? 0 : round(66 + 8 * hashNoise(seed, t, 3), 1);
        },
      },
      drop: { [TOPIC.vehicleState]: off },
      statuses: (t) => (episodes.some(([s, e]) => t >= s && t < e + 1) ? [report] : []),
      logs: episodes.flatMap(([s, e]) => [
        { t: s + 0.35, level: LOG.WARN, node: 'vehicle_interface', msg: 'stale input: /vehicle/state' },
        { t: s + 0.5, level: LOG.WARN, node: 'planner', msg: 'vehicle state stale, holding last command' },
        { t: e + 0.1, level: LOG.INFO, node: 'vehicle_interface', msg: 'vehicle state restored' },
      ]),
    };
  },
};

/**
 * 0xB002 CAN_HIGH_BUSLOAD: powertrain bus load 87–95 % for 100 s
 * (catalogue: > 85 % for ≥ 60 s).
 */
export const canHighBusload: FaultInjector = {
  code: '0xB002',
  durationS: 100,
  needsMotion: false,
  create({ startS, endS, seed }) {
    return {
      label: '0xB002',
      startS,
      endS,
      alter: {
        [TOPIC.can]: (t, s) => {
          if (s.bus === 'pt' && t >= startS && t < endS) s.load_pct = round(87 + 8 * hashNoise(seed, t), 1);
        },
      },
      logs: repeatLog(startS + 10, endS, 30, { level: LOG.WARN, node: 'vehicle_interface', msg: 'control frame latency above budget' }),
    };
  },
};

/**
 * 0xC001 LV_BATTERY_UNDERVOLTAGE: with the DC/DC not charging, the 12 V net
 * sags from ~14 V to 11.3–11.6 V and stays below 11.8 V for ~25 s (catalogue:
 * ≥ 10 s); power_lv WARN "low voltage" while below. Midway a 3 s dip to about
 * 10.4 V browns the compute out: planning, perception and localization stop
 * publishing until it recovers (a consequence, not a fault of its own).
 */
export const lvUndervoltage: FaultInjector = {
  code: '0xC001',
  durationS: 40,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const brownS = startS + 12 + (endS - startS - 12) / 2;
    const brownE = brownS + 3;
    const brownOut = (t: number): boolean => t >= brownS && t < brownE;
    const volts = (t: number): number | undefined => {
      if (t < startS || t >= endS + 5) return undefined;
      if (t < startS + 12) return ramp(t, startS, startS + 12, 13.9, 11.6);
      if (brownOut(t)) return 10.4 + hashNormal(seed, t, 1, 0.03);
      if (t < endS) return 11.45 + 0.12 * Math.sin(t) + hashNormal(seed, t, 0, 0.03);
      return ramp(t, endS, endS + 5, 11.5, 13.9);
    };
    const report: StatusReport = { name: 'power_lv', level: LEVEL.WARN, message: 'low voltage', code: '0xC001' };
    return {
      label: '0xC001',
      startS,
      endS,
      alter: {
        [TOPIC.battery]: (t, s) => {
          const v = volts(t);
          if (v !== undefined) s.lv_voltage_v = round(Math.min(s.lv_voltage_v, v), 3);
        },
      },
      drop: { [TOPIC.planning]: brownOut, [TOPIC.perception]: brownOut, [TOPIC.pose]: brownOut },
      statuses: (t) => ((volts(t) ?? 99) < 11.8 ? [report] : []),
    };
  },
};

/** 0xC002 HV_CELL_IMBALANCE: cell spread climbs to 90–120 mV for ~50 s (catalogue: > 80 mV for ≥ 30 s). */
export const hvCellImbalance: FaultInjector = {
  code: '0xC002',
  durationS: 60,
  needsMotion: false,
  create({ startS, endS, seed }) {
    return {
      label: '0xC002',
      startS,
      endS,
      alter: {
        [TOPIC.battery]: (t, s) => {
          if (t < startS || t >= endS) return;
          const d = ramp(t, startS, startS + 8, 20, 98) + 12 * Math.sin(t / 9) + hashNormal(seed, t, 0, 2);
          s.cell_delta_mv = round(Math.max(s.cell_delta_mv, d), 1);
        },
      },
    };
  },
};

/**
 * 0xD001 BRAKE_PRESSURE_SENSOR_DRIFT: the pressure reading drifts to a 7–8.5
 * bar offset within 5 s and stays there for the window while no brake is
 * requested (catalogue: > 5 bar with brake_pedal false for ≥ 10 s); the drive
 * profile avoids braking during the window.
 */
export const brakePressureDrift: FaultInjector = {
  code: '0xD001',
  durationS: 40,
  needsMotion: true,
  create({ startS, endS, seed }) {
    return {
      label: '0xD001',
      startS,
      endS,
      alter: {
        [TOPIC.vehicleState]: (t, s) => {
          if (t < startS || t >= endS) return;
          const offset = ramp(t, startS, startS + 5, 0, 7.6) + 0.4 * Math.sin(t / 3) + hashNormal(seed, t, 0, 0.1);
          s.brake_pressure_bar = round(s.brake_pressure_bar + offset, 2);
        },
      },
    };
  },
};

/**
 * 0xD002 STEERING_ANGLE_MISMATCH: three episodes of 6–8 s in which the measured
 * angle trails the command by 7–11° (catalogue: > 5° for ≥ 2 s);
 * eps ERROR "steering tracking error" during each.
 */
export const steeringMismatch: FaultInjector = {
  code: '0xD002',
  durationS: 36,
  needsMotion: false,
  create({ startS, endS, seed }) {
    const slot = (endS - startS) / 3;
    const episodes = [0, 1, 2].map((i) => {
      const s = startS + i * slot + hashNoise(seed, i, 0) * Math.max(0, slot - 9);
      return [s, s + 6 + 2 * hashNoise(seed, i, 1)] as const;
    });
    const sign = hashNoise(seed, 9, 9) < 0.5 ? -1 : 1;
    const report: StatusReport = { name: 'eps', level: LEVEL.ERROR, message: 'steering tracking error', code: '0xD002' };
    return {
      label: '0xD002',
      startS: episodes[0]?.[0] ?? startS,
      endS: episodes[2]?.[1] ?? endS,
      alter: {
        [TOPIC.vehicleState]: (t, s) => {
          if (!episodes.some(([a, b]) => t >= a && t < b)) return;
          s.steering_angle_deg = round(s.steering_cmd_deg - sign * (9 + 2 * Math.sin(t * 1.3)) + hashNormal(seed, t, 1, 0.2), 2);
        },
      },
      statuses: (t) => (episodes.some(([a, b]) => t >= a + 0.5 && t < b + 1) ? [report] : []),
    };
  },
};

/**
 * 0xD003 WHEEL_SPEED_SENSOR_FAULT: the rear-left wheel reads exactly 0 for
 * 30 s while the vehicle drives on (catalogue: 0 with speed > 3 m/s for ≥ 5 s).
 */
export const wheelSpeedSensor: FaultInjector = {
  code: '0xD003',
  durationS: 30,
  needsMotion: true,
  create({ startS, endS }) {
    return {
      label: '0xD003',
      startS,
      endS,
      alter: {
        [TOPIC.vehicleState]: (t, s) => {
          if (t >= startS && t < endS) s.wheel_speed_rl_mps = 0;
        },
      },
    };
  },
};
