/**
 * @argus/sim — the drive simulator: writes reference-vehicle MCAP recordings
 * with healthy noise, injected catalogue faults and unknown anomalies.
 */
export { writeDrive, type WriteDriveOptions, type WriteDriveResult } from './write-drive.js';
export { runSimCli } from './cli.js';
export { FAULTS, FAULT_CODES, FAULT_PLATFORMS, FAULT_INJECTORS, normaliseFaultCode, type FaultInfo } from './faults/index.js';
export { UNKNOWN_ANOMALY_KINDS, anomalyVariants } from './faults/index.js';
export type { AnomalyLabel, FaultInjector, FaultWindow, UnknownAnomalyKind, UnknownAnomalyRequest } from './faults/index.js';
export { planScenario, SimOptionsError, type FaultRequest, type ScenarioLabel, type ScenarioPlan } from './scenario.js';
export type { NoiseLabel } from './healthy-noise.js';
export { REFERENCE_TOPICS, TOPIC, CAN_BUSES, topicSpec, type TopicName, type TopicSpec } from './reference-vehicle.js';
export { ros2MsgSchema } from './ros2-schemas.js';
export { JSON_SCHEMAS } from './json-schemas.js';
export { PERCEPTION_SUMMARY_DESCRIPTOR, PERCEPTION_SUMMARY_TYPE, perceptionSummaryType } from './perception-proto.js';
export {
  DEFAULT_FIRMWARE, FIRMWARE_COMPONENTS, PLATFORMS, PLATFORM_BODY, VEHICLE_METADATA_NAME, vehicleMetadata, randomVin,
  vinCheckDigit, resolveFirmware, type Firmware, type FirmwareComponent, type Platform,
} from './vehicle-metadata.js';
export { mulberry32, deriveSeed, Rng } from './prng.js';
export type { Compression } from './compression.js';
