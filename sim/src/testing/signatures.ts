/**
 * Test support: the fault signatures of the reference fleet (facts: topics,
 * kinds, thresholds) and an evaluator that decides whether a decoded drive
 * meets each one. Used to check that injected faults show their signature and
 * that healthy drives do not.
 */
import { field, type DecodedDrive, type DecodedMessage } from './read-drive.js';

/** One signature item, shaped like the fleet catalogue's. */
export interface SignatureItem {
  topic: string;
  kind: string;
  field?: string;
  fields?: [string, string];
  value?: number | boolean;
  min_duration_s?: number;
  min_count?: number;
  min_gap_ms?: number;
  hz?: number;
  limit_g?: number;
  min_increase?: number;
  min_rise?: number;
  while?: { topic: string; field: string; above?: number; equals?: boolean };
  name?: string;
  level?: string;
  message?: string;
  code?: string;
  node?: string;
  text?: string;
  note?: string;
}

const D = '/diagnostics';
const R = '/rosout';
const status = (name: string, level: string, message: string, code: string): SignatureItem => ({ topic: D, kind: 'status', name, level, message, code });
const log = (level: string, node: string, text: string): SignatureItem => ({ topic: R, kind: 'log', level, node, text });

/** Signature per fault code (first item = the primary signal). */
export const SIGNATURES: Record<string, SignatureItem[]> = {
  '0x8004': [
    { topic: '/sensors/lidar_front/scan_meta', kind: 'gap', min_gap_ms: 500, min_count: 3 },
    status('lidar_front', 'ERROR', 'no data received', '0x8004'),
    log('ERROR', 'lidar_driver', 'front lidar packet timeout'),
  ],
  '0x8011': [
    { topic: '/sensors/camera_front/frame_meta', kind: 'rate_below', hz: 20, min_duration_s: 10 },
    status('camera_front', 'WARN', 'frame drop', '0x8011'),
  ],
  '0x8021': [
    { topic: '/sensors/radar_front/tracks_meta', kind: 'value_below', field: 'count', value: 1, while: { topic: '/vehicle/state', field: 'speed_mps', above: 5 }, min_duration_s: 20 },
    status('radar_front', 'WARN', 'sensor blockage', '0x8021'),
  ],
  '0x9001': [
    { topic: '/gnss/fix', kind: 'value_equals', field: 'status.status', value: -1, min_duration_s: 30 },
    status('gnss', 'WARN', 'no fix', '0x9001'),
  ],
  '0x9002': [{ topic: '/imu/data', kind: 'value_at_limit', field: 'linear_acceleration.z', limit_g: 16, min_count: 50 }],
  '0xA001': [
    { topic: '/compute/stats', kind: 'value_above', field: 'cpu_temp_c', value: 95, min_duration_s: 30 },
    { topic: '/planning/cycle', kind: 'value_above', field: 'latency_ms', value: 100, note: 'consequence' },
    status('adcu_thermal', 'ERROR', 'cpu throttling', '0xA001'),
  ],
  '0xA002': [
    { topic: '/compute/stats', kind: 'value_below', field: 'disk_free_gb', value: 1 },
    log('ERROR', 'recorder', 'write failed: no space left on device'),
  ],
  '0xA003': [
    { topic: '/compute/stats', kind: 'increasing', field: 'gpu_ecc_errors', min_increase: 10 },
    status('gpu', 'ERROR', 'uncorrectable ECC errors', '0xA003'),
  ],
  '0xA004': [
    { topic: '/compute/stats', kind: 'trend_up', field: 'mem_used_pct', min_rise: 25 },
    log('FATAL', 'perception', 'killed: out of memory'),
  ],
  '0xB001': [
    { topic: '/can/stats', kind: 'value_equals', field: 'bus_off', value: true },
    { topic: '/can/stats', kind: 'value_above', field: 'error_frames', value: 100 },
    { topic: '/vehicle/state', kind: 'gap', min_gap_ms: 300, note: 'consequence' },
    status('can_gateway', 'ERROR', 'bus off', '0xB001'),
  ],
  '0xB002': [{ topic: '/can/stats', kind: 'value_above', field: 'load_pct', value: 85, min_duration_s: 60 }],
  '0xC001': [
    { topic: '/power/battery', kind: 'value_below', field: 'lv_voltage_v', value: 11.8, min_duration_s: 10 },
    status('power_lv', 'WARN', 'low voltage', '0xC001'),
  ],
  '0xC002': [{ topic: '/power/battery', kind: 'value_above', field: 'cell_delta_mv', value: 80, min_duration_s: 30 }],
  '0xD001': [
    { topic: '/vehicle/state', kind: 'value_above', field: 'brake_pressure_bar', value: 5, while: { topic: '/vehicle/state', field: 'brake_pedal', equals: false }, min_duration_s: 10 },
  ],
  '0xD002': [
    { topic: '/vehicle/state', kind: 'difference_above', fields: ['steering_cmd_deg', 'steering_angle_deg'], value: 5, min_duration_s: 2 },
    status('eps', 'ERROR', 'steering tracking error', '0xD002'),
  ],
  '0xD003': [
    { topic: '/vehicle/state', kind: 'value_equals', field: 'wheel_speed_rl_mps', value: 0, while: { topic: '/vehicle/state', field: 'speed_mps', above: 3 }, min_duration_s: 5 },
  ],
  '0xE001': [
    { topic: '/localization/pose', kind: 'value_above', field: 'cov_trace', value: 2.0, min_duration_s: 5 },
    log('ERROR', 'localization', 'pose covariance diverged'),
  ],
  '0xE002': [
    { topic: '/planning/cycle', kind: 'value_above', field: 'latency_ms', value: 100, min_count: 20 },
    log('ERROR', 'planner', 'cycle overrun'),
  ],
  '0xF001': [
    { topic: '/time_sync/status', kind: 'value_equals', field: 'locked', value: false, min_duration_s: 10 },
    { topic: '/time_sync/status', kind: 'value_above', field: 'ptp_offset_ns', value: 1_000_000 },
    status('ptp', 'ERROR', 'clock not synchronised', '0xF001'),
  ],
  '0xF002': [
    { topic: '/network/stats', kind: 'value_above', field: 'loss_pct', value: 2, min_duration_s: 20 },
    status('network', 'WARN', 'packet loss', '0xF002'),
  ],
};

const LEVELS: Record<string, number> = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 };
const LOG_LEVELS: Record<string, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, FATAL: 50 };

/** Value of `path` in the latest message of `series` at or before `t`. */
function valueAt(series: DecodedMessage[], t: number, path: string): unknown {
  let lo = 0;
  let hi = series.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((series[mid] as DecodedMessage).t <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? undefined : field((series[found] as DecodedMessage).msg, path);
}

/** Longest run (seconds, first to last sample) of consecutive samples meeting `ok`. */
export function longestRun(series: DecodedMessage[], ok: (m: DecodedMessage) => boolean): number {
  let best = 0;
  let start: number | undefined;
  for (const m of series) {
    if (ok(m)) {
      start ??= m.t;
      best = Math.max(best, m.t - start);
    } else start = undefined;
  }
  return best;
}

/**
 * How strongly the drive shows an item: a number to compare with its threshold,
 * and whether it is met. Topics that interleave several entities (/can/stats
 * carries one message per `bus`) are evaluated per entity.
 */
export function evaluate(drive: DecodedDrive, item: SignatureItem): { met: boolean; measure: number } {
  const all = drive.topics[item.topic] ?? [];
  const groups = new Map<string, DecodedMessage[]>();
  for (const m of all) {
    const key = typeof m.msg?.bus === 'string' ? (m.msg.bus as string) : '';
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(m);
  }
  let best = { met: false, measure: 0 };
  for (const series of groups.size ? groups.values() : [[]]) {
    const r = evaluateSeries(drive, item, series);
    if (r.met) return r;
    if (r.measure > best.measure) best = r;
  }
  return best;
}

function evaluateSeries(drive: DecodedDrive, item: SignatureItem, series: DecodedMessage[]): { met: boolean; measure: number } {
  const whileOk = (m: DecodedMessage): boolean => {
    if (!item.while) return true;
    const w = valueAt(drive.topics[item.while.topic] ?? [], m.t, item.while.field);
    if (item.while.above !== undefined) return typeof w === 'number' && w > item.while.above;
    return w === item.while.equals;
  };
  const condition = (m: DecodedMessage): boolean => {
    const v = item.field ? field(m.msg, item.field) : undefined;
    switch (item.kind) {
      case 'value_above':
        return typeof v === 'number' && v > (item.value as number);
      case 'value_below':
        return typeof v === 'number' && v < (item.value as number);
      case 'value_equals':
        return v === item.value;
      case 'difference_above': {
        const [a, b] = item.fields ?? ['', ''];
        return Math.abs(Number(field(m.msg, a)) - Number(field(m.msg, b))) > (item.value as number);
      }
      default:
        return false;
    }
  };
  switch (item.kind) {
    case 'value_above':
    case 'value_below':
    case 'value_equals':
    case 'difference_above': {
      const ok = (m: DecodedMessage): boolean => condition(m) && whileOk(m);
      if (item.min_duration_s !== undefined) {
        const run = longestRun(series, ok);
        return { met: run >= item.min_duration_s, measure: run };
      }
      const count = series.filter(ok).length;
      return { met: count >= (item.min_count ?? 1), measure: count };
    }
    case 'value_at_limit': {
      const limit = (item.limit_g ?? 16) * 9.80665 * 0.999;
      const count = series.filter((m) => Math.abs(Number(field(m.msg, item.field ?? ''))) >= limit).length;
      return { met: count >= (item.min_count ?? 1), measure: count };
    }
    case 'gap': {
      let count = 0;
      for (let i = 1; i < series.length; i++) {
        if (((series[i] as DecodedMessage).t - (series[i - 1] as DecodedMessage).t) * 1000 >= (item.min_gap_ms ?? 0)) count++;
      }
      return { met: count >= (item.min_count ?? 1), measure: count };
    }
    case 'rate_below': {
      // Messages per 1 s bin; longest run of bins below the rate.
      const bins = new Map<number, number>();
      for (const m of series) bins.set(Math.floor(m.t), (bins.get(Math.floor(m.t)) ?? 0) + 1);
      const last = Math.floor(series[series.length - 1]?.t ?? 0);
      let run = 0;
      let best = 0;
      for (let s = 1; s < last; s++) {
        run = (bins.get(s) ?? 0) < (item.hz ?? 0) ? run + 1 : 0;
        best = Math.max(best, run);
      }
      return { met: best >= (item.min_duration_s ?? 1), measure: best };
    }
    case 'increasing': {
      const vals = series.map((m) => Number(field(m.msg, item.field ?? '')));
      const rise = vals.length ? Math.max(...vals) - (vals[0] as number) : 0;
      return { met: rise >= (item.min_increase ?? 1), measure: rise };
    }
    case 'trend_up': {
      let min = Infinity;
      let rise = 0;
      for (const m of series) {
        const v = Number(field(m.msg, item.field ?? ''));
        min = Math.min(min, v);
        rise = Math.max(rise, v - min);
      }
      return { met: rise >= (item.min_rise ?? 1), measure: rise };
    }
    case 'status': {
      const n = series.filter((m) =>
        (m.msg.status as { name: string; level: number; message: string; values: { key: string; value: string }[] }[]).some(
          (s) => s.name === item.name && s.level === LEVELS[item.level ?? ''] && s.message === item.message &&
            s.values.some((kv) => kv.key === 'code' && kv.value === item.code),
        ),
      ).length;
      return { met: n > 0, measure: n };
    }
    case 'log': {
      const n = series.filter((m) => m.msg.level === LOG_LEVELS[item.level ?? ''] && m.msg.name === item.node && m.msg.msg === item.text).length;
      return { met: n > 0, measure: n };
    }
    default:
      throw new Error(`unknown signature kind ${item.kind}`);
  }
}
