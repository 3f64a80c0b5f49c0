/** Registry of fault injectors, one per catalogue code. */
import { cpuThermalThrottle, gpuEccErrors, perceptionMemoryLeak, plannerCycleOverrun, recorderDiskFull } from './compute-faults.js';
import type { FaultInjector } from './fault-injector.js';
import { FAULT_CODES } from './fault-codes.js';
import { gnssFixLost, imuSaturation, localizationDivergence } from './localization-faults.js';
import { ethernetPacketLoss, timeSyncLost } from './network-faults.js';
import { cameraFrameDrop, lidarTimeout, radarBlockage } from './perception-faults.js';
import {
  brakePressureDrift, canBusOff, canHighBusload, hvCellImbalance, lvUndervoltage, steeringMismatch, wheelSpeedSensor,
} from './vehicle-faults.js';

/** Injector per fault code. */
export const FAULT_INJECTORS: ReadonlyMap<string, FaultInjector> = new Map(
  [
    lidarTimeout, cameraFrameDrop, radarBlockage, gnssFixLost, imuSaturation,
    cpuThermalThrottle, recorderDiskFull, gpuEccErrors, perceptionMemoryLeak,
    canBusOff, canHighBusload, lvUndervoltage, hvCellImbalance,
    brakePressureDrift, steeringMismatch, wheelSpeedSensor,
    localizationDivergence, plannerCycleOverrun, timeSyncLost, ethernetPacketLoss,
  ].map((f) => [f.code, f]),
);

// Every catalogue code must have an injector (checked once at load).
for (const code of FAULT_CODES) {
  if (!FAULT_INJECTORS.has(code)) throw new Error(`no injector for fault ${code}`);
}

export type { FaultInjector, FaultWindow } from './fault-injector.js';
export { FAULTS, FAULT_CODES, FAULT_PLATFORMS, normaliseFaultCode, type FaultInfo } from './fault-codes.js';
export {
  packTempAnomaly, unknownAnomaly, isAnomalyRequest, anomalyVariants, anomalyDurationS, ANOMALY_DURATION_S, UNKNOWN_ANOMALY_KINDS,
  type AnomalyLabel, type UnknownAnomalyKind, type UnknownAnomalyRequest,
} from './unknown-anomaly.js';
