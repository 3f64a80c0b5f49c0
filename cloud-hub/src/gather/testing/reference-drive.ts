/**
 * Test helper: a synthetic drive of the reference vehicle (all topics of
 * REFERENCE-VEHICLE.md at their nominal rates), healthy by default with the
 * healthy noise a real drive has, and hooks to inject faults.
 */
import { stamp, topicChunks, type FixtureCell, type TopicGenerator } from './csv-fixture.js';

/** A diagnostics status to publish. */
export interface FixtureStatus {
  level: number;
  name: string;
  message: string;
  code?: string;
}
/** A log line to publish on /rosout. */
export interface FixtureLog {
  t: number;
  level: number;
  name: string;
  msg: string;
}

/** What to change in the healthy drive. */
export interface DriveMods {
  durationS?: number;
  /** Include healthy noise (brief GNSS loss, single WARN, CPU spike, chatter, one lidar hiccup). Default true. */
  noise?: boolean;
  /** Field overrides: topic → field → value at time t (given the healthy value). */
  values?: Record<string, Record<string, (t: number, healthy: FixtureCell) => FixtureCell>>;
  /** Messages to omit: topic → predicate on t. */
  drop?: Record<string, (t: number) => boolean>;
  /** Extra statuses in the diagnostics array at second t. */
  statuses?: (t: number) => FixtureStatus[];
  logs?: FixtureLog[];
}

/** Drive start used by the fixtures (ns since the epoch). */
export const T0_NS = 1_760_000_000_000_000_000n;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const cov = (p: string): string[] => range(9).map((i) => `${p}.${i}`);

function healthyTopics(noise: boolean, statuses: (t: number) => FixtureStatus[]): (Omit<TopicGenerator, 'row'> & { values: (t: number, i: number) => Record<string, FixtureCell> })[] {
  const speed = (t: number): number => 9 + 5 * Math.sin(t / 17);
  const steer = (t: number): number => 12 * Math.sin(t / 6);
  return [
    { topic: '/vehicle/state', hz: 50, fields: ['speed_mps', 'steering_angle_deg', 'steering_cmd_deg', 'brake_pressure_bar', 'brake_pedal', 'throttle_pct', 'wheel_speed_fl_mps', 'wheel_speed_fr_mps', 'wheel_speed_rl_mps', 'wheel_speed_rr_mps', 'gear'],
      values: (t) => {
        const braking = t % 60 > 40 && t % 60 < 44;
        const v = speed(t);
        return { speed_mps: v, steering_angle_deg: steer(t - 0.1), steering_cmd_deg: steer(t), brake_pressure_bar: braking ? 25 : 0.4, brake_pedal: braking, throttle_pct: braking ? 0 : 22,
          wheel_speed_fl_mps: v + 0.03, wheel_speed_fr_mps: v - 0.02, wheel_speed_rl_mps: v + 0.01, wheel_speed_rr_mps: v - 0.01, gear: 'D' };
      } },
    { topic: '/power/battery', hz: 10, fields: ['lv_voltage_v', 'hv_soc_pct', 'hv_voltage_v', 'cell_delta_mv', 'pack_temp_c'],
      values: (t) => ({ lv_voltage_v: 14 + 0.2 * Math.sin(t / 5), hv_soc_pct: 80 - t / 120, hv_voltage_v: 398, cell_delta_mv: 14 + 3 * Math.sin(t), pack_temp_c: 31 }) },
    { topic: '/compute/stats', hz: 1, fields: ['cpu_load_pct', 'cpu_temp_c', 'gpu_temp_c', 'gpu_ecc_errors', 'mem_used_pct', 'disk_free_gb'],
      values: (t) => ({ cpu_load_pct: noise && t >= 100 && t < 104 ? 86 : 48 + 8 * Math.sin(t / 9), cpu_temp_c: 66 + 4 * Math.sin(t / 30), gpu_temp_c: 61, gpu_ecc_errors: 3, mem_used_pct: 41 + Math.sin(t / 11), disk_free_gb: 212 - t / 1000 }) },
    { topic: '/sensors/lidar_front/scan_meta', hz: 10, fields: ['header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'seq', 'count', 'status'],
      values: (t, i) => ({ stamp: 0, seq: i, count: 119_000 + (i % 7) * 300, status: 0, _t: t }) },
    { topic: '/sensors/camera_front/frame_meta', hz: 30, fields: ['header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'seq', 'count', 'status'],
      values: (_t, i) => ({ stamp: 0, seq: i, count: 1_800_000 + (i % 11) * 1000, status: 0 }) },
    { topic: '/sensors/radar_front/tracks_meta', hz: 20, fields: ['header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'seq', 'count', 'status'],
      values: (t, i) => ({ stamp: 0, seq: i, count: Math.round(20 + 12 * Math.sin(t / 4)), status: 0 }) },
    { topic: '/gnss/fix', hz: 10, fields: ['header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'status.status', 'status.service', 'latitude', 'longitude', 'altitude', ...cov('position_covariance'), 'position_covariance_type'],
      values: (t) => ({ stamp: 0, 'status.status': noise && t >= 70 && t < 73 ? -1 : 2, 'status.service': 1, latitude: 48.1 + t * 1e-5, longitude: 11.5, altitude: 520, cov: 0.02, position_covariance_type: 2 }) },
    { topic: '/imu/data', hz: 100, fields: ['header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'orientation.x', 'orientation.y', 'orientation.z', 'orientation.w', ...cov('orientation_covariance'), 'angular_velocity.x', 'angular_velocity.y', 'angular_velocity.z', ...cov('angular_velocity_covariance'), 'linear_acceleration.x', 'linear_acceleration.y', 'linear_acceleration.z', ...cov('linear_acceleration_covariance')],
      values: (t) => ({ stamp: 0, 'orientation.x': 0, 'orientation.y': 0, 'orientation.z': Math.sin(t / 20), 'orientation.w': Math.cos(t / 20), cov: 0.001,
        'angular_velocity.x': 0.01, 'angular_velocity.y': 0.01, 'angular_velocity.z': 0.1 * Math.sin(t / 6),
        'linear_acceleration.x': 0.8 * Math.sin(t / 3), 'linear_acceleration.y': 0.5 * Math.sin(t / 6), 'linear_acceleration.z': 9.81 + 0.3 * Math.sin(t * 7) }) },
    { topic: '/perception/summary', hz: 10, fields: ['num_objects', 'latency_ms'], values: (t) => ({ num_objects: Math.round(12 + 6 * Math.sin(t / 8)), latency_ms: 32 + 6 * Math.sin(t * 3) }) },
    { topic: '/localization/pose', hz: 20, fields: ['x', 'y', 'yaw', 'cov_trace'], values: (t) => ({ x: t * 9, y: 3 * Math.sin(t / 30), yaw: 0.1, cov_trace: 0.12 + 0.05 * Math.sin(t) }) },
    { topic: '/planning/cycle', hz: 10, fields: ['latency_ms', 'status'],
      values: (t) => ({ latency_ms: noise && t >= 150 && t < 150.3 ? 118 : 55 + 15 * Math.sin(t * 2.3), status: 'OK' }) },
    { topic: '/network/stats', hz: 1, fields: ['link', 'loss_pct', 'rtt_ms'], values: () => ({ link: 'backbone', loss_pct: 0.05, rtt_ms: 0.4 }) },
    { topic: '/can/stats', hz: 1, fields: ['bus', 'load_pct', 'error_frames', 'bus_off'], values: (t) => ({ bus: 'pt', load_pct: 45 + 5 * Math.sin(t / 10), error_frames: 0, bus_off: false }) },
    { topic: '/time_sync/status', hz: 1, fields: ['ptp_offset_ns', 'locked'], values: (t) => ({ ptp_offset_ns: 12_000 + 3000 * Math.sin(t), locked: true }) },
    { topic: '/diagnostics', hz: 1, fields: ['header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'status'],
      values: (t) => {
        const list: FixtureStatus[] = [{ level: 0, name: 'adcu_thermal', message: 'ok' }, { level: 0, name: 'lidar_front', message: 'ok' }];
        if (noise && Math.floor(t) === 50) list.push({ level: 1, name: 'camera_front', message: 'frame drop', code: '0x8011' });
        if (noise && t >= 70 && t < 73) list.push({ level: 1, name: 'gnss', message: 'no fix', code: '0x9001' });
        list.push(...statuses(t));
        const json = list.map((s) => ({ level: s.level, name: s.name, message: s.message, hardware_id: '', values: s.code ? [{ key: 'code', value: s.code }] : [] }));
        return { stamp: 0, status: JSON.stringify(json) };
      } },
  ];
}

/** CSV chunks per topic for a reference drive. */
export function referenceDrive(mods: DriveMods = {}): Map<string, string[]> {
  const durationS = mods.durationS ?? 180;
  const noise = mods.noise ?? true;
  const out = new Map<string, string[]>();
  for (const spec of healthyTopics(noise, mods.statuses ?? (() => []))) {
    const over = mods.values?.[spec.topic] ?? {};
    const drop = mods.drop?.[spec.topic];
    const lidarHiccup = noise && spec.topic === '/sensors/lidar_front/scan_meta';
    const hasStamp = spec.fields.includes('header.stamp.sec');
    const gen: TopicGenerator = {
      topic: spec.topic, hz: spec.hz, fields: spec.fields,
      row: (t, i) => {
        if (drop?.(t) || (lidarHiccup && t > 120 && t < 120.6)) return null;
        const v = spec.values(t, i);
        const st = hasStamp ? stamp(T0_NS, t, 'base_link') : [];
        return spec.fields.map((f) => {
          const healthy: FixtureCell = f === 'header.stamp.sec' ? st[0]! : f === 'header.stamp.nanosec' ? st[1]! : f === 'header.frame_id' ? st[2]!
            : f.includes('covariance.') ? (v.cov ?? 0) : (v[f] ?? null);
          const fn = over[f];
          return fn ? fn(t, healthy) : healthy;
        });
      },
    };
    out.set(spec.topic, topicChunks(gen, durationS, T0_NS));
  }
  const logs: FixtureLog[] = [];
  if (noise) {
    for (let t = 0.5; t < durationS; t += 7) logs.push({ t, level: 20, name: 'planner', msg: `cycle ok, ${Math.round(t)} lanes` });
    logs.push({ t: 33.2, level: 30, name: 'localization', msg: 'map tile prefetch slow' }, { t: 91.7, level: 30, name: 'perception', msg: 'tracker: dropped 1 stale track' });
  }
  logs.push(...(mods.logs ?? []));
  logs.sort((a, b) => a.t - b.t);
  const rosout: TopicGenerator = { topic: '/rosout', hz: 1, fields: [], row: () => null };
  out.set('/rosout', [rosoutCsv(logs, rosout.topic)]);
  return out;
}

function rosoutCsv(logs: FixtureLog[], _topic: string): string {
  const header = 'log_time_ns,publish_time_ns,sequence,stamp.sec,stamp.nanosec,level,name,msg,file,function,line';
  const rows = logs.map((l, i) => {
    const ns = T0_NS + BigInt(Math.round(l.t * 1e9));
    const [sec, nsec] = stamp(T0_NS, l.t, '');
    const msg = /[",\n]/.test(l.msg) ? `"${l.msg.replace(/"/g, '""')}"` : l.msg;
    return [ns, ns, i, sec, nsec, l.level, l.name, msg, 'node.cpp', 'run', 42].join(',');
  });
  return `${header}\n${rows.join('\n')}\n`;
}
