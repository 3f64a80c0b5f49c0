/**
 * The reference vehicle's recorded topics: name, encodings, schema and nominal
 * rate. This is the simulator's own copy of the fleet's reference table; the
 * product elsewhere must not hard-wire it (topic roles come from configuration).
 */
import { JSON_SCHEMAS } from './json-schemas.js';
import { PERCEPTION_SUMMARY_DESCRIPTOR, PERCEPTION_SUMMARY_TYPE } from './perception-proto.js';
import { ros2MsgSchema } from './ros2-schemas.js';

/** Topic names of the reference vehicle. */
export const TOPIC = {
  diagnostics: '/diagnostics',
  rosout: '/rosout',
  vehicleState: '/vehicle/state',
  battery: '/power/battery',
  compute: '/compute/stats',
  lidar: '/sensors/lidar_front/scan_meta',
  camera: '/sensors/camera_front/frame_meta',
  radar: '/sensors/radar_front/tracks_meta',
  gnss: '/gnss/fix',
  imu: '/imu/data',
  perception: '/perception/summary',
  pose: '/localization/pose',
  planning: '/planning/cycle',
  network: '/network/stats',
  can: '/can/stats',
  timeSync: '/time_sync/status',
} as const;

/** One of the reference vehicle's topic names. */
export type TopicName = (typeof TOPIC)[keyof typeof TOPIC];

/** How one topic is recorded. */
export interface TopicSpec {
  readonly topic: TopicName;
  /** MCAP channel message encoding. */
  readonly messageEncoding: 'cdr' | 'json' | 'protobuf';
  /** MCAP schema name, e.g. `sensor_msgs/msg/Imu`. */
  readonly schemaName: string;
  /** MCAP schema encoding. */
  readonly schemaEncoding: 'ros2msg' | 'jsonschema' | 'protobuf';
  /** Schema record data: `.msg` text, JSON Schema text or a FileDescriptorSet. */
  readonly schemaData: Uint8Array;
  /** Nominal publish rate in Hz; `null` for event-driven topics (/rosout). */
  readonly rateHz: number | null;
}

const utf8 = new TextEncoder();

function cdr(topic: TopicName, type: string, rateHz: number | null): TopicSpec {
  return {
    topic,
    messageEncoding: 'cdr',
    schemaName: type,
    schemaEncoding: 'ros2msg',
    schemaData: utf8.encode(ros2MsgSchema(type)),
    rateHz,
  };
}

function json(topic: TopicName, title: string, rateHz: number): TopicSpec {
  const schema = JSON_SCHEMAS[title];
  if (!schema) throw new Error(`no JSON schema ${title}`);
  return {
    topic,
    messageEncoding: 'json',
    schemaName: title,
    schemaEncoding: 'jsonschema',
    schemaData: utf8.encode(JSON.stringify(schema)),
    rateHz,
  };
}

const HEARTBEAT = 'argus_msgs/msg/SensorHeartbeat';

/** All topics of the reference vehicle, in recording (channel id) order. */
export const REFERENCE_TOPICS: readonly TopicSpec[] = [
  cdr(TOPIC.diagnostics, 'diagnostic_msgs/msg/DiagnosticArray', 1),
  cdr(TOPIC.rosout, 'rcl_interfaces/msg/Log', null),
  json(TOPIC.vehicleState, 'argus.VehicleState', 50),
  json(TOPIC.battery, 'argus.Battery', 10),
  json(TOPIC.compute, 'argus.ComputeStats', 1),
  cdr(TOPIC.lidar, HEARTBEAT, 10),
  cdr(TOPIC.camera, HEARTBEAT, 30),
  cdr(TOPIC.radar, HEARTBEAT, 20),
  cdr(TOPIC.gnss, 'sensor_msgs/msg/NavSatFix', 10),
  cdr(TOPIC.imu, 'sensor_msgs/msg/Imu', 100),
  {
    topic: TOPIC.perception,
    messageEncoding: 'protobuf',
    schemaName: PERCEPTION_SUMMARY_TYPE,
    schemaEncoding: 'protobuf',
    schemaData: PERCEPTION_SUMMARY_DESCRIPTOR,
    rateHz: 10,
  },
  json(TOPIC.pose, 'argus.Pose', 20),
  json(TOPIC.planning, 'argus.PlanningCycle', 10),
  json(TOPIC.network, 'argus.NetworkStats', 1),
  json(TOPIC.can, 'argus.CanStats', 1),
  json(TOPIC.timeSync, 'argus.TimeSync', 1),
];

/** Looks a topic up by name. */
export function topicSpec(topic: string): TopicSpec | undefined {
  return REFERENCE_TOPICS.find((s) => s.topic === topic);
}

/** The CAN buses reported on `/can/stats` (one message per bus per tick). */
export const CAN_BUSES = ['pt', 'chassis'] as const;
