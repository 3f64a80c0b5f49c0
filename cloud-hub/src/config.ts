import { z } from 'zod';

/**
 * Every setting of the hub, validated at once. Read from the environment only
 * by `main.ts` (and the demo), which passes the result here; everything else
 * receives a `HubConfig` value.
 */
export const HubConfig = z.object({
  /** Where the embedded database, object store and logs live. */
  dataDir: z.string().min(1),
  httpHost: z.string().default('127.0.0.1'),
  /** 0 picks a free port. */
  httpPort: z.coerce.number().int().min(0).max(65535).default(8080),
  mqttHost: z.string().default('127.0.0.1'),
  mqttPort: z.coerce.number().int().min(0).max(65535).default(1883),
  /** Postgres URL; unset = embedded PGlite (with pgvector) served by the embedded wire server (ADR 0012). */
  databaseUrl: z.string().url().optional(),
  /** S3/MinIO endpoint URL (e.g. http://127.0.0.1:9000); unset = filesystem object store. */
  s3Endpoint: z.string().url().optional(),
  s3Bucket: z.string().default('argus'),
  s3AccessKey: z.string().optional(),
  s3SecretKey: z.string().optional(),
  s3Region: z.string().default('us-east-1'),
  /** Fleet secret from which per-vehicle MQTT/HTTP credentials are derived (see docs/protocol.md). */
  vehicleSecret: z.string().min(8),
  /** Largest MQTT packet the broker accepts, bytes. */
  maxPacketBytes: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Uplink messages of one vehicle the embedded broker holds in hand at once; the one that reaches it is PUBACKed only once stored (1 = every PUBACK waits). */
  mqttInflight: z.coerce.number().int().min(1).max(65535).default(16),
  /** Bytes of uplink messages in hand over all vehicles beyond which PUBACKs wait for storage. */
  mqttInflightBytes: z.coerce.number().int().positive().default(256 * 1024 * 1024),
  /** Largest decompressed CSV a chunk may expand to, bytes (gzip bomb guard). */
  maxRawChunkBytes: z.coerce.number().int().positive().default(64 * 1024 * 1024),
  /** Worker threads checking chunk content (sha256, zstd decode) off the event loop; unset = 1 with two or more cores, else 0 (inline). */
  ingestCheckThreads: z.coerce.number().int().min(0).max(16).optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Port of the embedded broker's MQTT-over-WebSocket listener (path /mqtt); unset = off, 0 = a free port. */
  mqttWsPort: z.coerce.number().int().min(0).max(65535).optional(),
  /** External MQTT broker (mqtt://host:port); set = the hub connects as a client instead of embedding aedes. */
  mqttUrl: z.string().url().optional(),
  /** The hub's own login on the external broker. */
  mqttUsername: z.string().optional(),
  mqttPassword: z.string().optional(),
  /** Client id prefix on the external broker (`-up`/`-down` appended); unique and stable per hub. Default argus-hub-<hostname>. */
  mqttClientId: z.string().min(1).max(100).optional(),
  /** Redis URL; set = scale mode (BullMQ queue, Redis barrier, status events over Redis pub/sub). */
  redisUrl: z.string().url().optional(),
  /** Password of the bootstrap `admin` user (set on every start); unset = one is generated for a new database and logged once. */
  adminPassword: z.string().min(8).optional(),
  /** TEST ONLY: gather waits this long before reading each chunk, so a test can kill a hub mid-gather. 0 = off. */
  testGatherDelayMs: z.coerce.number().int().min(0).default(0),
  /** Scale mode: how long a hub's lock on a running job lasts, ms; a dead hub's job moves to another hub about twice this later. Unset = 30000. */
  queueLockMs: z.coerce.number().int().positive().optional(),
  /** Embedding model: a Hugging Face name or a local folder (config.json, tokenizer.json, onnx/model.onnx); unset = offline hashing embedder. */
  embeddingModel: z.string().min(1).optional(),
  /** Allow downloading the embedding model from the Hugging Face hub (default false). */
  embeddingAllowRemote: z.union([z.boolean(), z.enum(['true', 'false'])]).default(false).transform((v) => v === true || v === 'true'),
  /** Cache folder of downloaded models. */
  embeddingCacheDir: z.string().min(1).optional(),
  /** OpenAI-compatible LLM endpoint (e.g. http://127.0.0.1:11434/v1); unset = no LLM, the deterministic diagnostician decides. */
  llmBaseUrl: z.string().url().optional(),
  llmModel: z.string().min(1).optional(),
  llmFallbackModel: z.string().min(1).optional(),
  llmApiKey: z.string().optional(),
  /** LLM backpressure: calls at once, requests and tokens per minute (shared by every hub when REDIS_URL is set). */
  llmConcurrency: z.coerce.number().int().min(1).max(256).default(2),
  llmRpm: z.coerce.number().int().min(1).default(60),
  llmTpm: z.coerce.number().int().min(100).default(60_000),
});
export type HubConfig = z.infer<typeof HubConfig>;
export type HubConfigInput = z.input<typeof HubConfig>;

/** Environment variable → config key. */
const ENV_KEYS: Record<string, keyof HubConfigInput> = {
  ARGUS_DATA_DIR: 'dataDir',
  HUB_HTTP_HOST: 'httpHost',
  HUB_HTTP_PORT: 'httpPort',
  HUB_MQTT_HOST: 'mqttHost',
  HUB_MQTT_PORT: 'mqttPort',
  DATABASE_URL: 'databaseUrl',
  S3_ENDPOINT: 's3Endpoint',
  S3_BUCKET: 's3Bucket',
  S3_ACCESS_KEY: 's3AccessKey',
  S3_SECRET_KEY: 's3SecretKey',
  S3_REGION: 's3Region',
  ARGUS_VEHICLE_SECRET: 'vehicleSecret',
  HUB_MAX_PACKET_BYTES: 'maxPacketBytes',
  HUB_MQTT_INFLIGHT: 'mqttInflight',
  HUB_MQTT_INFLIGHT_BYTES: 'mqttInflightBytes',
  HUB_MAX_RAW_CHUNK_BYTES: 'maxRawChunkBytes',
  HUB_INGEST_CHECK_THREADS: 'ingestCheckThreads',
  LOG_LEVEL: 'logLevel',
  HUB_MQTT_WS_PORT: 'mqttWsPort',
  MQTT_URL: 'mqttUrl',
  MQTT_USERNAME: 'mqttUsername',
  MQTT_PASSWORD: 'mqttPassword',
  MQTT_CLIENT_ID: 'mqttClientId',
  REDIS_URL: 'redisUrl',
  ARGUS_ADMIN_PASSWORD: 'adminPassword',
  ARGUS_TEST_GATHER_DELAY_MS: 'testGatherDelayMs',
  HUB_QUEUE_LOCK_MS: 'queueLockMs',
  EMBEDDING_MODEL: 'embeddingModel',
  EMBEDDING_ALLOW_REMOTE: 'embeddingAllowRemote',
  EMBEDDING_CACHE_DIR: 'embeddingCacheDir',
  LLM_BASE_URL: 'llmBaseUrl',
  LLM_MODEL: 'llmModel',
  LLM_FALLBACK_MODEL: 'llmFallbackModel',
  LLM_API_KEY: 'llmApiKey',
  LLM_CONCURRENCY: 'llmConcurrency',
  LLM_RPM: 'llmRpm',
  LLM_TPM: 'llmTpm',
};

/** Documented defaults for the embedded, single-laptop setup. */
export const EMBEDDED_DEFAULTS: Partial<HubConfigInput> = {
  dataDir: '.argus/hub',
  vehicleSecret: 'argus-dev-fleet-secret',
};

/**
 * Builds a config from environment variables plus overrides; throws one error
 * listing every bad key (by its environment name).
 */
export function loadHubConfig(env: Record<string, string | undefined>, overrides: Partial<HubConfigInput> = {}): HubConfig {
  const input: Record<string, unknown> = { ...EMBEDDED_DEFAULTS };
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') input[key] = v;
  }
  Object.assign(input, overrides);
  const r = HubConfig.safeParse(input);
  if (!r.success) {
    const byKey = Object.fromEntries(Object.entries(ENV_KEYS).map(([n, k]) => [k, n]));
    const lines = r.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `  ${byKey[key] ?? key}: ${i.message}`;
    });
    throw new Error(`invalid hub configuration:\n${lines.join('\n')}`);
  }
  return r.data;
}
