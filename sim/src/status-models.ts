/**
 * /diagnostics (1 Hz, one status per subsystem, OK unless an effect reports
 * otherwise) and /rosout (healthy INFO/WARN chatter plus the effects' lines).
 */
import { LEVEL, LOG, type LogLine, type StatusReport } from './effects.js';
import type { Rng } from './prng.js';
import { TOPIC } from './reference-vehicle.js';
import { rosTime, type DiagnosticStatus, type RosLog } from './samples.js';
import { regularTimes, topicRng, type SimContext, type TopicModel } from './topic-model.js';

/** Subsystems reported on /diagnostics, with their hardware ids. */
export const DIAGNOSTIC_SUBSYSTEMS: readonly { readonly name: string; readonly hardwareId: string }[] = [
  { name: 'lidar_front', hardwareId: 'lidar-front-0' },
  { name: 'camera_front', hardwareId: 'cam-front-0' },
  { name: 'radar_front', hardwareId: 'radar-front-0' },
  { name: 'gnss', hardwareId: 'gnss-rx-0' },
  { name: 'imu', hardwareId: 'imu-0' },
  { name: 'adcu_thermal', hardwareId: 'adcu-0' },
  { name: 'gpu', hardwareId: 'adcu-0/gpu0' },
  { name: 'recorder', hardwareId: 'adcu-0/nvme0' },
  { name: 'can_gateway', hardwareId: 'gw-0' },
  { name: 'power_lv', hardwareId: 'pdu-12v' },
  { name: 'power_hv', hardwareId: 'bms-0' },
  { name: 'eps', hardwareId: 'eps-0' },
  { name: 'ebs', hardwareId: 'ebs-0' },
  { name: 'ptp', hardwareId: 'gw-0/ptp' },
  { name: 'network', hardwareId: 'eth-sw-0' },
];

const worse = (a: StatusReport | undefined, b: StatusReport): StatusReport => (a && a.level >= b.level ? a : b);

/** /diagnostics at 1 Hz. Non-OK statuses carry the fault code in the `code` key. */
export function diagnosticsModel(ctx: SimContext): TopicModel<typeof TOPIC.diagnostics> {
  const rng = topicRng(ctx, TOPIC.diagnostics);
  const reporters = ctx.effects.filter((e) => e.statuses !== undefined);
  return {
    topic: TOPIC.diagnostics,
    times: () => regularTimes(rng, 1, ctx.durationS),
    sample(t) {
      const reports = new Map<string, StatusReport>();
      for (const e of reporters) {
        for (const r of e.statuses?.(t) ?? []) reports.set(r.name, worse(reports.get(r.name), r));
      }
      const status: DiagnosticStatus[] = DIAGNOSTIC_SUBSYSTEMS.map(({ name, hardwareId }) => {
        const r = reports.get(name);
        return r
          ? { level: r.level, name, message: r.message, hardware_id: hardwareId, values: [{ key: 'code', value: r.code }] }
          : { level: LEVEL.OK, name, message: 'ok', hardware_id: hardwareId, values: [] };
      });
      return { header: { stamp: rosTime(ctx.startNs, t), frame_id: '' }, status };
    },
  };
}

/** Source file / function of each node's log lines (what rclcpp records). */
const NODE_SOURCE: Readonly<Record<string, readonly [string, string, number]>> = {
  recorder: ['recorder_node.cpp', 'on_write', 212],
  lidar_driver: ['lidar_driver.cpp', 'poll_packets', 318],
  camera_driver: ['gmsl_camera.cpp', 'grab', 144],
  radar_driver: ['radar_driver.cpp', 'on_frame', 97],
  gnss_driver: ['gnss_node.cpp', 'on_nmea', 403],
  perception: ['perception_node.cpp', 'run_cycle', 588],
  localization: ['fusion_node.cpp', 'update', 731],
  planner: ['planner_node.cpp', 'plan', 1204],
  vehicle_interface: ['vehicle_bridge.cpp', 'on_can', 266],
  thermal_monitor: ['thermal_monitor.cpp', 'poll', 58],
  bms_monitor: ['bms_monitor.cpp', 'poll', 77],
  tf: ['buffer_core.cpp', 'lookupTransform', 1602],
};

/** Healthy chatter: start-up lines, periodic progress, occasional benign warnings. */
export function chatter(rng: Rng, durationS: number): LogLine[] {
  const lines: LogLine[] = [
    { t: 0.05, level: LOG.INFO, node: 'recorder', msg: 'recording started (16 topics, chunked, compressed)' },
    { t: 0.12, level: LOG.INFO, node: 'lidar_driver', msg: 'front lidar streaming, 10 Hz' },
    { t: 0.18, level: LOG.INFO, node: 'camera_driver', msg: 'front camera streaming, 30 fps' },
    { t: 0.24, level: LOG.INFO, node: 'gnss_driver', msg: 'RTK corrections received' },
    { t: 0.4, level: LOG.INFO, node: 'planner', msg: 'route accepted' },
  ];
  const info: readonly (readonly [string, string])[] = [
    ['planner', 'lane change completed'],
    ['planner', 'yielding at unprotected turn'],
    ['localization', 'map tile loaded'],
    ['perception', 'tracker pruned stale tracks'],
    ['recorder', 'chunk flushed'],
    ['vehicle_interface', 'drive mode: autonomous'],
  ];
  const warn: readonly (readonly [string, string])[] = [
    ['tf', 'transform lookup extrapolated 8 ms into the future'],
    ['perception', 'two radar tracks merged (ambiguous association)'],
    ['planner', 'speed limit unknown on segment, using default'],
    ['localization', 'scan match score low, holding odometry for 1 cycle'],
  ];
  for (let t = rng.uniform(3, 12); t < durationS; t += rng.uniform(6, 18)) {
    const [node, msg] = rng.pick(info);
    lines.push({ t, level: LOG.INFO, node, msg });
  }
  for (let t = rng.uniform(10, 45); t < durationS; t += rng.uniform(25, 70)) {
    const [node, msg] = rng.pick(warn);
    lines.push({ t, level: LOG.WARN, node, msg });
  }
  return lines;
}

/** /rosout: chatter plus every effect's lines, in time order. */
export function rosoutModel(ctx: SimContext): TopicModel<typeof TOPIC.rosout> {
  const rng = topicRng(ctx, TOPIC.rosout);
  const lines = [...chatter(rng, ctx.durationS), ...ctx.effects.flatMap((e) => e.logs ?? [])]
    .filter((l) => l.t >= 0 && l.t < ctx.durationS)
    .sort((a, b) => a.t - b.t);
  const times: number[] = [];
  for (const l of lines) {
    const last = times[times.length - 1];
    times.push(last !== undefined && l.t <= last ? last + 1e-6 : l.t);
  }
  return {
    topic: TOPIC.rosout,
    times: () => times,
    sample(t, n): RosLog {
      const l = lines[n] as LogLine;
      const [file, fn, line] = NODE_SOURCE[l.node] ?? ['node.cpp', 'run', 1];
      return { stamp: rosTime(ctx.startNs, t), level: l.level, name: l.node, msg: l.msg, file, function: fn, line };
    },
  };
}
