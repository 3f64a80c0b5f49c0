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
  /** Postgres URL; unset = embedded PGlite (with pgvector) served over pglite-socket. */
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
  /** Largest decompressed CSV a chunk may expand to, bytes (gzip bomb guard). */
  maxRawChunkBytes: z.coerce.number().int().positive().default(64 * 1024 * 1024),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
  HUB_MAX_RAW_CHUNK_BYTES: 'maxRawChunkBytes',
  LOG_LEVEL: 'logLevel',
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
