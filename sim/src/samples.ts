/**
 * In-memory shapes of the messages the simulator publishes, one per topic.
 * Field names are exactly those recorded (ROS 2 / JSON Schema / protobuf), so
 * fault injectors change the very fields a diagnosis reads.
 */
import type { PerceptionSummary } from './perception-proto.js';
import { TOPIC } from './reference-vehicle.js';

/** builtin_interfaces/Time. */
export interface RosTime {
  sec: number;
  nanosec: number;
}
/** std_msgs/Header. */
export interface RosHeader {
  stamp: RosTime;
  frame_id: string;
}
/** diagnostic_msgs/DiagnosticStatus. */
export interface DiagnosticStatus {
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: { key: string; value: string }[];
}
/** diagnostic_msgs/DiagnosticArray. */
export interface DiagnosticArray {
  header: RosHeader;
  status: DiagnosticStatus[];
}
/** rcl_interfaces/Log. */
export interface RosLog {
  stamp: RosTime;
  level: number;
  name: string;
  msg: string;
  file: string;
  function: string;
  line: number;
}
/** argus_msgs/SensorHeartbeat. */
export interface SensorHeartbeat {
  header: RosHeader;
  seq: number;
  count: number;
  status: number;
}
/** geometry_msgs/Vector3. */
export interface Vector3 {
  x: number;
  y: number;
  z: number;
}
/** sensor_msgs/NavSatFix. */
export interface NavSatFix {
  header: RosHeader;
  status: { status: number; service: number };
  latitude: number;
  longitude: number;
  altitude: number;
  position_covariance: number[];
  position_covariance_type: number;
}
/** sensor_msgs/Imu. */
export interface Imu {
  header: RosHeader;
  orientation: { x: number; y: number; z: number; w: number };
  orientation_covariance: number[];
  angular_velocity: Vector3;
  angular_velocity_covariance: number[];
  linear_acceleration: Vector3;
  linear_acceleration_covariance: number[];
}
/** argus.VehicleState. */
export interface VehicleState {
  speed_mps: number;
  steering_angle_deg: number;
  steering_cmd_deg: number;
  brake_pressure_bar: number;
  brake_pedal: boolean;
  throttle_pct: number;
  wheel_speed_fl_mps: number;
  wheel_speed_fr_mps: number;
  wheel_speed_rl_mps: number;
  wheel_speed_rr_mps: number;
  gear: 'P' | 'R' | 'N' | 'D';
}
/** argus.Battery. */
export interface Battery {
  lv_voltage_v: number;
  hv_soc_pct: number;
  hv_voltage_v: number;
  cell_delta_mv: number;
  pack_temp_c: number;
}
/** argus.ComputeStats. */
export interface ComputeStats {
  cpu_load_pct: number;
  cpu_temp_c: number;
  gpu_temp_c: number;
  gpu_ecc_errors: number;
  mem_used_pct: number;
  disk_free_gb: number;
}
/** argus.Pose. */
export interface Pose {
  x: number;
  y: number;
  yaw: number;
  cov_trace: number;
}
/** argus.PlanningCycle. */
export interface PlanningCycle {
  latency_ms: number;
  status: 'ok' | 'degraded' | 'overrun';
}
/** argus.NetworkStats. */
export interface NetworkStats {
  link: string;
  loss_pct: number;
  rtt_ms: number;
}
/** argus.CanStats. */
export interface CanStats {
  bus: 'pt' | 'chassis';
  load_pct: number;
  error_frames: number;
  bus_off: boolean;
}
/** argus.TimeSync. */
export interface TimeSync {
  ptp_offset_ns: number;
  locked: boolean;
}

/** Message shape per topic. */
export interface SampleByTopic {
  [TOPIC.diagnostics]: DiagnosticArray;
  [TOPIC.rosout]: RosLog;
  [TOPIC.vehicleState]: VehicleState;
  [TOPIC.battery]: Battery;
  [TOPIC.compute]: ComputeStats;
  [TOPIC.lidar]: SensorHeartbeat;
  [TOPIC.camera]: SensorHeartbeat;
  [TOPIC.radar]: SensorHeartbeat;
  [TOPIC.gnss]: NavSatFix;
  [TOPIC.imu]: Imu;
  [TOPIC.perception]: PerceptionSummary;
  [TOPIC.pose]: Pose;
  [TOPIC.planning]: PlanningCycle;
  [TOPIC.network]: NetworkStats;
  [TOPIC.can]: CanStats;
  [TOPIC.timeSync]: TimeSync;
}

/** ROS time of `t` seconds after `startNs`. */
export function rosTime(startNs: bigint, t: number): RosTime {
  const ns = startNs + BigInt(Math.round(t * 1e9));
  return { sec: Number(ns / 1_000_000_000n), nanosec: Number(ns % 1_000_000_000n) };
}
