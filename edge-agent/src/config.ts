import { z } from 'zod';
import { VIN_PATTERN } from '@argus/shared';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = (schemes: string[]) => z.string().url().refine((u) => schemes.includes(new URL(u).protocol), { message: `scheme must be one of ${schemes.join(', ')}` });

/** Every setting of the edge agent, validated at once (table in docs/edge-agent.md). */
export const AgentConfig = z.strictObject({
  /** This vehicle's VIN; when unset it is taken from each recording's `vehicle` metadata. */
  vin: z.string().regex(VIN_PATTERN).optional(),
  /** Per-vehicle token (password on MQTT, Bearer on HTTP). */
  token: z.string().min(1),
  mqttUrl: url(['mqtt:', 'mqtts:']).default('mqtt://127.0.0.1:1883'),
  httpUrl: url(['http:', 'https:']).default('http://127.0.0.1:8080'),
  /** PEM file of the CA that signs the hub's certificate (mqtts/https); unset = system CAs. */
  caFile: z.string().min(1).optional(),
  /** Where the recorder writes `*.mcap` files. */
  recordingsDir: z.string().min(1).default('recordings'),
  /** Where the outbox, journal and received reports live. */
  stateDir: z.string().min(1).default('.argus/agent'),
  /** Drive detection: 'stable' (size+mtime unchanged for stableSeconds), 'marker' (`<name>.done` exists), or 'either'. */
  detect: z.enum(['stable', 'marker', 'either']).default('either'),
  stableSeconds: int(1, 86_400).default(30),
  /** How often the recordings directory is scanned, ms. */
  scanIntervalMs: int(100, 3_600_000).default(5000),
  /** Largest CSV chunk before compression, bytes. */
  chunkBytes: int(4096, 8 * 1024 * 1024).default(1024 * 1024),
  /** Chunk compression: zstd (default: ~3x less CPU than gzip and smaller) or gzip; see docs/edge-agent.md for measurements. */
  compression: z.enum(['zstd', 'gzip']).default('zstd'),
  /** Compression level: zstd 1 … 19, gzip 1 … 9 (1 = fastest). */
  compressionLevel: int(1, 19).default(1),
  /** Topics to keep (empty = all; globs with `*`) and to drop. */
  topics: z.array(z.string()).default([]),
  excludeTopics: z.array(z.string()).default([]),
  /** Keep every Nth message of a topic, e.g. `{ "/imu": 10 }`. */
  decimate: z.record(z.string(), int(1, 1_000_000)).default({}),
  /** At most this many messages per second of log time on a topic (after `decimate`), e.g. `{ "/camera/*": 2 }`. */
  maxRateHz: z.record(z.string(), z.number().positive().max(1_000_000)).default({}),
  /** Chunks in flight (published, not yet acknowledged by the hub). */
  inflight: int(1, 1000).default(16),
  /** How long to wait for the hub's acknowledgement of a chunk before re-sending it, ms. */
  ackTimeoutMs: int(100, 3_600_000).default(30_000),
  /** Upload bandwidth cap, bytes per second (0 = unlimited). */
  bandwidthBytesPerS: int(0, 10_000_000_000).default(0),
  /** Outbox disk quota, bytes (eviction policy in docs/edge-agent.md). */
  outboxQuotaBytes: int(64 * 1024, Number.MAX_SAFE_INTEGER).default(2 * 1024 * 1024 * 1024),
  /** MQTT reconnect backoff: first delay and ceiling, ms (exponential, full jitter). */
  reconnectMinMs: int(10, 3_600_000).default(1000),
  reconnectMaxMs: int(10, 3_600_000).default(60_000),
  /** Switch to HTTP after MQTT has been unreachable this long while there is something to send, ms (0 = never). */
  httpFallbackAfterMs: int(0, 86_400_000).default(30_000),
  /** Process niceness (0 … 19; higher = lower priority). */
  nice: int(0, 19).default(10),
  /** Recordings packed at the same time. */
  concurrency: int(1, 8).default(1),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
export type AgentConfigInput = z.input<typeof AgentConfig>;

/** Error code of a configuration that does not validate. */
export class AgentConfigError extends Error {
  readonly code = 'BAD_CONFIG';
  constructor(readonly issues: string[]) {
    super(`invalid agent configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
}

/** Validates a config object; throws one AgentConfigError listing every bad key. */
export function parseAgentConfig(input: AgentConfigInput): AgentConfig {
  const r = AgentConfig.safeParse(input);
  if (!r.success) {
    throw new AgentConfigError(r.error.issues.map((i) => {
      const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
      return `${i.path.join('.') || '(root)'}: ${i.message}${keys}`;
    }));
  }
  const c = r.data;
  if (c.reconnectMinMs > c.reconnectMaxMs) throw new AgentConfigError(['reconnectMinMs: must not exceed reconnectMaxMs']);
  if (c.compression === 'gzip' && c.compressionLevel > 9) throw new AgentConfigError(['compressionLevel: gzip levels are 1 … 9']);
  return c;
}

/** Environment variable → config key. Lists are comma-separated; `ARGUS_AGENT_DECIMATE` is JSON. */
export const AGENT_ENV: Record<string, keyof AgentConfig> = {
  ARGUS_AGENT_VIN: 'vin', ARGUS_AGENT_TOKEN: 'token', ARGUS_AGENT_MQTT_URL: 'mqttUrl', ARGUS_AGENT_HTTP_URL: 'httpUrl',
  ARGUS_AGENT_CA_FILE: 'caFile', ARGUS_AGENT_RECORDINGS_DIR: 'recordingsDir', ARGUS_AGENT_STATE_DIR: 'stateDir',
  ARGUS_AGENT_DETECT: 'detect', ARGUS_AGENT_STABLE_SECONDS: 'stableSeconds', ARGUS_AGENT_SCAN_INTERVAL_MS: 'scanIntervalMs',
  ARGUS_AGENT_CHUNK_BYTES: 'chunkBytes', ARGUS_AGENT_COMPRESSION: 'compression', ARGUS_AGENT_COMPRESSION_LEVEL: 'compressionLevel', ARGUS_AGENT_TOPICS: 'topics',
  ARGUS_AGENT_EXCLUDE_TOPICS: 'excludeTopics', ARGUS_AGENT_DECIMATE: 'decimate', ARGUS_AGENT_MAX_RATE_HZ: 'maxRateHz', ARGUS_AGENT_INFLIGHT: 'inflight',
  ARGUS_AGENT_ACK_TIMEOUT_MS: 'ackTimeoutMs', ARGUS_AGENT_BANDWIDTH: 'bandwidthBytesPerS', ARGUS_AGENT_OUTBOX_QUOTA: 'outboxQuotaBytes',
  ARGUS_AGENT_RECONNECT_MIN_MS: 'reconnectMinMs', ARGUS_AGENT_RECONNECT_MAX_MS: 'reconnectMaxMs',
  ARGUS_AGENT_HTTP_FALLBACK_MS: 'httpFallbackAfterMs', ARGUS_AGENT_NICE: 'nice', ARGUS_AGENT_CONCURRENCY: 'concurrency',
  ARGUS_AGENT_LOG_LEVEL: 'logLevel',
};

/**
 * Merges the config file's object with environment overrides (env wins) and
 * validates the result. Unknown `ARGUS_AGENT_*` variables are reported as bad keys.
 */
export function loadAgentConfig(file: Record<string, unknown>, env: Record<string, string | undefined>): AgentConfig {
  const merged: Record<string, unknown> = { ...file };
  const bad: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('ARGUS_AGENT_') || name === 'ARGUS_AGENT_CONFIG' || value === undefined) continue;
    const key = AGENT_ENV[name];
    if (!key) {
      bad.push(`${name}: unknown environment variable`);
      continue;
    }
    if (key === 'topics' || key === 'excludeTopics') merged[key] = value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (key === 'decimate' || key === 'maxRateHz') {
      try {
        merged[key] = JSON.parse(value);
      } catch {
        bad.push(`${name}: not JSON`);
      }
    } else merged[key] = value;
  }
  try {
    const c = parseAgentConfig(merged as AgentConfigInput);
    if (bad.length) throw new AgentConfigError(bad);
    return c;
  } catch (err) {
    if (err instanceof AgentConfigError && bad.length && !bad.every((b) => err.issues.includes(b))) throw new AgentConfigError([...bad, ...err.issues]);
    throw err;
  }
}
