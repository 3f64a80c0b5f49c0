/**
 * Vehicle identity and firmware of a simulated drive, and the MCAP `vehicle`
 * metadata record that carries them.
 */
import type { Rng } from './prng.js';

/** Platforms of the reference fleet. */
export const PLATFORMS = ['J7', 'K1', 'T2'] as const;
/** A reference-fleet platform: J7 robotaxi sedan, K1 urban shuttle, T2 hub-to-hub truck. */
export type Platform = (typeof PLATFORMS)[number];

/** Components whose firmware version is recorded as `fw.<component>`. */
export const FIRMWARE_COMPONENTS = [
  'adcu', 'lidar_front', 'camera_front', 'radar_front', 'gnss', 'imu', 'vcu', 'bms', 'eps', 'ebs', 'gateway',
] as const;
/** A firmware component name. */
export type FirmwareComponent = (typeof FIRMWARE_COMPONENTS)[number];
/** Firmware version per component. */
export type Firmware = Record<FirmwareComponent, string>;

/**
 * Default firmware per platform: a plausible fleet snapshot, deliberately
 * mixed (some components current, some older), overridable per drive.
 */
export const DEFAULT_FIRMWARE: Readonly<Record<Platform, Readonly<Firmware>>> = {
  J7: {
    adcu: '4.6.2', lidar_front: '3.1.4', camera_front: '2.4.2', radar_front: '1.8.0', gnss: '5.1.3',
    imu: '2.0.3', vcu: '7.2.1', bms: '3.0.1', eps: '6.1.2', ebs: '4.3.0', gateway: '1.9.2',
  },
  K1: {
    adcu: '4.5.2', lidar_front: '3.1.4', camera_front: '2.3.8', radar_front: '1.7.5', gnss: '5.0.9',
    imu: '2.0.3', vcu: '7.1.4', bms: '2.9.6', eps: '6.0.5', ebs: '4.2.1', gateway: '1.8.7',
  },
  T2: {
    adcu: '4.5.9', lidar_front: '3.2.1', camera_front: '2.4.2', radar_front: '1.8.0', gnss: '5.1.3',
    imu: '2.1.0', vcu: '7.2.1', bms: '3.0.1', eps: '6.1.2', ebs: '4.3.0', gateway: '1.8.4',
  },
};

/** Physical parameters the signal model needs per platform. */
export interface PlatformBody {
  /** Wheelbase, m. */
  readonly wheelbaseM: number;
  /** Track width, m. */
  readonly trackM: number;
  /** Steering-wheel to road-wheel ratio. */
  readonly steeringRatio: number;
  /** Typical cruise speed range, m/s. */
  readonly cruiseMps: readonly [number, number];
  /** Nominal traction battery voltage range (empty → full), V. */
  readonly hvVoltageV: readonly [number, number];
  /** Map origin (WGS-84 degrees, metres). */
  readonly origin: { readonly lat: number; readonly lon: number; readonly alt: number };
  readonly vinPrefix: string;
  readonly idPrefix: string;
}

/** Platform bodies. */
export const PLATFORM_BODY: Readonly<Record<Platform, PlatformBody>> = {
  J7: {
    wheelbaseM: 2.9, trackM: 1.6, steeringRatio: 15, cruiseMps: [9, 16], hvVoltageV: [340, 400],
    origin: { lat: 48.1372, lon: 11.5756, alt: 519 }, vinPrefix: 'LJ8E3C1M', idPrefix: 'robotaxi',
  },
  K1: {
    wheelbaseM: 3.1, trackM: 1.7, steeringRatio: 16, cruiseMps: [6, 11], hvVoltageV: [330, 390],
    origin: { lat: 52.52, lon: 13.405, alt: 34 }, vinPrefix: 'WK1SH7A2', idPrefix: 'shuttle',
  },
  T2: {
    wheelbaseM: 4.2, trackM: 2.0, steeringRatio: 20, cruiseMps: [14, 23], hvVoltageV: [650, 800],
    origin: { lat: 51.2277, lon: 6.7735, alt: 38 }, vinPrefix: 'YT2HH4C9', idPrefix: 'truck',
  },
};

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_VALUE: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHT = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** ISO 3779 / FMVSS 565 check digit (position 9) of a 17-character VIN. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i] ?? '0';
    const v = /[0-9]/.test(c) ? Number(c) : (VIN_VALUE[c] ?? 0);
    sum += v * (VIN_WEIGHT[i] ?? 0);
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** A random, well-formed 17-character VIN for a platform. */
export function randomVin(rng: Rng, platform: Platform): string {
  const body = PLATFORM_BODY[platform].vinPrefix; // 8 chars: WMI + VDS
  const year = rng.pick(['N', 'P', 'R', 'S']); // 2022–2025
  const plant = rng.pick([...VIN_CHARS.slice(0, 23)]);
  let serial = '';
  for (let i = 0; i < 6; i++) serial += String(rng.int(0, 9));
  const draft = `${body}0${year}${plant}${serial}`;
  return `${body}${vinCheckDigit(draft)}${year}${plant}${serial}`;
}

/** Identity of one drive, recorded in the `vehicle` metadata record. */
export interface VehicleIdentity {
  vin: string;
  vehicleId: string;
  platform: Platform;
  driveId: string;
  startedAt: Date;
  firmware: Firmware;
}

/** MCAP Metadata record name for the vehicle description. */
export const VEHICLE_METADATA_NAME = 'vehicle';

/**
 * Key/values of the `vehicle` metadata record: vin, vehicle_id, platform,
 * drive_id, started_at (RFC 3339) and `fw.<component>` for every component.
 */
export function vehicleMetadata(id: VehicleIdentity): Map<string, string> {
  const m = new Map<string, string>([
    ['vin', id.vin],
    ['vehicle_id', id.vehicleId],
    ['platform', id.platform],
    ['drive_id', id.driveId],
    ['started_at', id.startedAt.toISOString()],
  ]);
  for (const c of FIRMWARE_COMPONENTS) m.set(`fw.${c}`, id.firmware[c]);
  return m;
}

/** Default firmware of a platform with per-component overrides applied. */
export function resolveFirmware(platform: Platform, overrides: Partial<Record<string, string>> = {}): Firmware {
  const fw: Firmware = { ...DEFAULT_FIRMWARE[platform] };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(FIRMWARE_COMPONENTS as readonly string[]).includes(k)) {
      throw new RangeError(`unknown firmware component "${k}" (known: ${FIRMWARE_COMPONENTS.join(', ')})`);
    }
    if (v !== undefined) fw[k as FirmwareComponent] = v;
  }
  return fw;
}
