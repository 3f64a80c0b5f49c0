/**
 * MQTT topic layout between vehicles and the hub, versioned and per vehicle.
 * Every topic string in the project is built and parsed here, nowhere else.
 *
 * Uplink (vehicle → hub), QoS 1:
 *   argus/v1/vehicles/{vin}/manifest        batch manifest (JSON)
 *   argus/v1/vehicles/{vin}/chunks          chunk frame (binary, see chunk-frame.ts)
 *   argus/v1/vehicles/{vin}/downlink-ack    acknowledgement of a report/recommendation (JSON)
 * Downlink (hub → vehicle), QoS 1, persistent session:
 *   argus/v1/vehicles/{vin}/chunk-ack       application-level "chunk stored" acknowledgement
 *   argus/v1/vehicles/{vin}/rejected        an uplink message the hub refused, with the reason
 *   argus/v1/vehicles/{vin}/status          batch status events
 *   argus/v1/vehicles/{vin}/diagnosis       diagnosis reports
 *   argus/v1/vehicles/{vin}/recommendation  firmware recommendations
 */
export const TOPIC_PREFIX = 'argus/v1/vehicles';

/** Kinds of message a vehicle sends. */
export const UPLINK_KINDS = ['manifest', 'chunks', 'downlink-ack'] as const;
/** Kinds of message the hub sends to a vehicle. */
export const DOWNLINK_KINDS = ['chunk-ack', 'rejected', 'status', 'diagnosis', 'recommendation'] as const;

export type UplinkKind = (typeof UPLINK_KINDS)[number];
export type DownlinkKind = (typeof DOWNLINK_KINDS)[number];
export type TopicKind = UplinkKind | DownlinkKind;

/** VIN: 17 characters, letters and digits without I, O, Q (ISO 3779). */
export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** Builds the topic of one kind for one vehicle, e.g. `vehicleTopic('LJ8…', 'chunks')`. */
export function vehicleTopic(vin: string, kind: TopicKind): string {
  return `${TOPIC_PREFIX}/${vin}/${kind}`;
}

/** Wildcard subscription the hub uses for one uplink kind of every vehicle. */
export function fleetSubscription(kind: UplinkKind): string {
  return `${TOPIC_PREFIX}/+/${kind}`;
}

/** Wildcard that covers every topic of one vehicle (its ACL scope). */
export function vehicleScope(vin: string): string {
  return `${TOPIC_PREFIX}/${vin}/#`;
}

/** A parsed topic, or null when the string is not an Argus vehicle topic. */
export interface ParsedTopic {
  vin: string;
  kind: TopicKind;
}

const KINDS: ReadonlySet<string> = new Set<string>([...UPLINK_KINDS, ...DOWNLINK_KINDS]);

/** Splits `argus/v1/vehicles/{vin}/{kind}`; returns null for anything else. */
export function parseVehicleTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== TOPIC_PREFIX) return null;
  const vin = parts[3] ?? '';
  const kind = parts[4] ?? '';
  if (!VIN_PATTERN.test(vin) || !KINDS.has(kind)) return null;
  return { vin, kind: kind as TopicKind };
}
