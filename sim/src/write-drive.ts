/**
 * The simulator's shell: plans a drive, generates every topic, and streams an
 * MCAP file to disk (chunked, compressed, indexed, with summary — or the
 * degraded variants real recorders leave behind).
 */
import { VIN_PATTERN } from '@argus/shared';
import { McapWriter } from '@mcap/core';
import { randomInt } from 'node:crypto';
import { chunkCompressor, type Compression } from './compression.js';
import { buildDriveProfile } from './drive-profile.js';
import { MODEL_FACTORIES } from './drive-models.js';
import { encoderFor, type Encoder } from './encoders.js';
import { FileWritable } from './file-writable.js';
import { Rng } from './prng.js';
import { REFERENCE_TOPICS, type TopicSpec } from './reference-vehicle.js';
import type { UnknownAnomalyRequest } from './faults/index.js';
import { planScenario, SimOptionsError, type FaultRequest, type ScenarioLabel } from './scenario.js';
import { applyEffects, mergeByTime, type SimContext } from './topic-model.js';
import {
  PLATFORM_BODY, PLATFORMS, randomVin, resolveFirmware, VEHICLE_METADATA_NAME, vehicleMetadata,
  type FirmwareComponent, type Platform,
} from './vehicle-metadata.js';

/** Options of {@link writeDrive}. */
export interface WriteDriveOptions {
  /** Output file path. */
  out: string;
  /** PRNG seed; the same seed and options give byte-identical files. Random when omitted. */
  seed?: number;
  /** Drive length, s (default 180). */
  durationS?: number;
  /** Platform (default J7). */
  platform?: Platform;
  /** Firmware overrides per component (defaults per platform). */
  firmware?: Partial<Record<FirmwareComponent, string>>;
  /** Faults to inject; each starts at `startS` or at a random time. */
  faults?: FaultRequest[];
  /**
   * Inject an anomaly no catalogue entry describes: `true` for the pack
   * temperature rise, or `{ kind, variant }` (see UNKNOWN_ANOMALY_KINDS).
   */
  unknownAnomaly?: boolean | UnknownAnomalyRequest;
  /** Everyday irregularities that are not faults (default true). */
  healthyNoise?: boolean;
  /** Chunk compression (default zstd). */
  compression?: Compression;
  /** Target uncompressed chunk size, bytes (default 1 MiB). */
  chunkSize?: number;
  /** Write the summary section (default true). */
  summary?: boolean;
  /** Write messages in chunks (default true). */
  chunked?: boolean;
  /** Cut the file after this many bytes, as a power cut would. */
  truncateAt?: number;
  /** Wall-clock start of the drive (default derived from the seed). */
  startTime?: Date;
  vin?: string;
  vehicleId?: string;
  /** Record only these topics (default all). */
  topics?: string[];
}

/** What {@link writeDrive} produced. */
export interface WriteDriveResult {
  path: string;
  /** File size, bytes. */
  bytes: number;
  /** Messages handed to the writer (with `truncateAt`, some may lie past the cut). */
  messages: number;
  /** Ground truth of the drive. */
  scenario: ScenarioLabel;
  /** The file was cut by `truncateAt`. */
  truncated: boolean;
}

const LIBRARY = 'argus-sim 0.1.0';

function defaultStart(seed: number): Date {
  const rng = Rng.derive(seed, 'start-time');
  const day = Date.UTC(2025, 0, 1) + rng.int(0, 364) * 86_400_000;
  return new Date(day + rng.int(6 * 3600, 20 * 3600) * 1000);
}

function selectTopics(topics: string[] | undefined): TopicSpec[] {
  if (!topics) return [...REFERENCE_TOPICS];
  for (const t of topics) {
    if (!REFERENCE_TOPICS.some((s) => s.topic === t)) throw new SimOptionsError(`unknown topic ${t}`);
  }
  return REFERENCE_TOPICS.filter((s) => topics.includes(s.topic));
}

/**
 * Simulates one drive of the reference vehicle and writes it as MCAP.
 *
 * @example
 * const { scenario } = await writeDrive({ out: 'drive.mcap', seed: 7, faults: [{ code: '0xA001' }] });
 */
export async function writeDrive(options: WriteDriveOptions): Promise<WriteDriveResult> {
  const seed = (options.seed ?? randomInt(0, 2 ** 31)) >>> 0;
  const durationS = options.durationS ?? 180;
  if (!(durationS > 0 && durationS <= 24 * 3600)) throw new SimOptionsError(`durationS ${durationS} out of range`);
  const platform = options.platform ?? 'J7';
  if (!PLATFORMS.includes(platform)) throw new SimOptionsError(`unknown platform ${String(platform)}`);
  let firmware;
  try {
    firmware = resolveFirmware(platform, options.firmware);
  } catch (cause) {
    throw new SimOptionsError((cause as Error).message, { cause });
  }
  const body = PLATFORM_BODY[platform];
  const idRng = Rng.derive(seed, 'identity');
  const vin = options.vin ?? randomVin(idRng, platform);
  if (!VIN_PATTERN.test(vin)) throw new SimOptionsError(`vin must be 17 characters without I, O, Q; got "${vin}"`);
  const vehicleId = options.vehicleId ?? `${body.idPrefix}-${String(idRng.int(1, 999)).padStart(3, '0')}`;
  const driveId = idRng.uuid();
  const startedAt = options.startTime ?? defaultStart(seed);

  const plan = planScenario({
    seed, durationS, platform, firmware,
    faults: options.faults ?? [],
    unknownAnomaly: options.unknownAnomaly ?? false,
    healthyNoise: options.healthyNoise ?? true,
  });
  const profile = buildDriveProfile(Rng.derive(seed, 'profile'), { durationS, body, holds: plan.holds });
  const startNs = BigInt(startedAt.getTime()) * 1_000_000n;
  const ctx: SimContext = { seed, durationS, startNs, platform, body, profile, effects: plan.effects };
  const specs = selectTopics(options.topics);

  const summary = options.summary ?? true;
  const writable = await FileWritable.create(options.out, options.truncateAt ?? Infinity);
  let messages = 0;
  try {
    const writer = new McapWriter({
      writable,
      useChunks: options.chunked ?? true,
      chunkSize: options.chunkSize ?? 1024 * 1024,
      compressChunk: chunkCompressor(options.compression ?? 'zstd'),
      useStatistics: summary,
      useSummaryOffsets: summary,
      repeatSchemas: summary,
      repeatChannels: summary,
      useMetadataIndex: summary,
      useAttachmentIndex: summary,
      useChunkIndex: summary,
      useMessageIndex: true,
    });
    await writer.start({ profile: 'ros2', library: LIBRARY });
    // Metadata goes first so that even a power-cut file names its vehicle.
    await writer.addMetadata({
      name: VEHICLE_METADATA_NAME,
      metadata: vehicleMetadata({ vin, vehicleId, platform, driveId, startedAt, firmware }),
    });
    const channels = new Map<string, { id: number; encode: Encoder; seq: number }>();
    for (const spec of specs) {
      const schemaId = await writer.registerSchema({ name: spec.schemaName, encoding: spec.schemaEncoding, data: spec.schemaData });
      const id = await writer.registerChannel({ topic: spec.topic, messageEncoding: spec.messageEncoding, schemaId, metadata: new Map() });
      channels.set(spec.topic, { id, encode: encoderFor(spec), seq: 0 });
    }
    const streams = specs.map((s) => applyEffects(MODEL_FACTORIES[s.topic](ctx), plan.effects));
    for (const { t, topic, sample } of mergeByTime(streams)) {
      const ch = channels.get(topic);
      if (!ch) continue;
      const time = startNs + BigInt(Math.round(t * 1e9));
      await writer.addMessage({ channelId: ch.id, sequence: ++ch.seq, logTime: time, publishTime: time, data: ch.encode(sample) });
      messages++;
      if (writable.cut) break; // power cut: no more data, no summary
    }
    if (!writable.cut) await writer.end();
  } finally {
    await writable.close();
  }
  return { path: options.out, bytes: writable.bytesKept, messages, scenario: plan.label, truncated: writable.cut };
}
