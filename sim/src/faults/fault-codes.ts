/**
 * The fault codes the simulator can inject and the platforms each applies to
 * (facts from the reference fleet's fault catalogue, encoded here so the
 * simulator does not read the catalogue at run time).
 */
import type { Platform } from '../vehicle-metadata.js';

/** Code, name and platforms of one injectable fault. */
export interface FaultInfo {
  readonly code: string;
  readonly name: string;
  readonly platforms: readonly Platform[];
}

const ALL: readonly Platform[] = ['J7', 'K1', 'T2'];

/** Every catalogue fault, in catalogue order. */
export const FAULTS: readonly FaultInfo[] = [
  { code: '0x8004', name: 'LIDAR_FRONT_TIMEOUT', platforms: ALL },
  { code: '0x8011', name: 'CAMERA_FRONT_FRAME_DROP', platforms: ALL },
  { code: '0x8021', name: 'RADAR_BLOCKAGE', platforms: ALL },
  { code: '0x9001', name: 'GNSS_FIX_LOST', platforms: ALL },
  { code: '0x9002', name: 'IMU_SATURATION', platforms: ALL },
  { code: '0xA001', name: 'CPU_THERMAL_THROTTLE', platforms: ALL },
  { code: '0xA002', name: 'RECORDER_DISK_FULL', platforms: ALL },
  { code: '0xA003', name: 'GPU_ECC_ERRORS', platforms: ALL },
  { code: '0xA004', name: 'PERCEPTION_MEMORY_LEAK', platforms: ALL },
  { code: '0xB001', name: 'CAN_BUS_OFF', platforms: ALL },
  { code: '0xB002', name: 'CAN_HIGH_BUSLOAD', platforms: ALL },
  { code: '0xC001', name: 'LV_BATTERY_UNDERVOLTAGE', platforms: ALL },
  { code: '0xC002', name: 'HV_CELL_IMBALANCE', platforms: ['J7', 'K1'] },
  { code: '0xD001', name: 'BRAKE_PRESSURE_SENSOR_DRIFT', platforms: ALL },
  { code: '0xD002', name: 'STEERING_ANGLE_MISMATCH', platforms: ALL },
  { code: '0xD003', name: 'WHEEL_SPEED_SENSOR_FAULT', platforms: ALL },
  { code: '0xE001', name: 'LOCALIZATION_DIVERGENCE', platforms: ALL },
  { code: '0xE002', name: 'PLANNER_CYCLE_OVERRUN', platforms: ALL },
  { code: '0xF001', name: 'TIME_SYNC_LOST', platforms: ALL },
  { code: '0xF002', name: 'ETHERNET_PACKET_LOSS', platforms: ALL },
];

/** The injectable fault codes, e.g. `0xA001`. */
export const FAULT_CODES: readonly string[] = FAULTS.map((f) => f.code);

/** Platforms each fault code applies to. */
export const FAULT_PLATFORMS: Readonly<Record<string, readonly Platform[]>> = Object.fromEntries(
  FAULTS.map((f) => [f.code, f.platforms]),
);

/** Normalises a user-typed code (`a001`, `0XA001`) to catalogue form (`0xA001`). */
export function normaliseFaultCode(code: string): string {
  const hex = code.trim().replace(/^0x/i, '').toUpperCase();
  return `0x${hex}`;
}
