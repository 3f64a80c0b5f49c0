/**
 * Everything people use, wired in one place for hub.ts: users and access, the
 * read cache, OTA recommendations, the dashboard's JSON routes, the browser app
 * and the OpenAPI description. The hub mounts `app`, guards its read routes
 * with `readGuard`, and calls `onReport`/`onAck`/`reads.invalidate` from its sinks.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type pg from 'pg';
import type { DiagnosisReport, DownlinkAck, FirmwareRecommendation, Logger } from '@argus/shared';
import { Access } from '../auth/access.js';
import { ApiFailure } from '../auth/api-failure.js';
import { requireRole } from '../auth/auth.hook.js';
import { authRoutes } from '../auth/auth-routes.js';
import { PgUserStore } from '../auth/pg-user-store.js';
import { otaRoutes } from '../ota/ota-routes.js';
import { OtaService } from '../ota/ota-service.js';
import { PgOtaStore } from '../ota/pg-ota-store.js';
import { CachedBatchReads } from '../read-cache/cached-batch-reads.js';
import { LruReadCache } from '../read-cache/lru-read-cache.js';
import type { ReadCache } from '../read-cache/read-cache.js';
import { RedisReadCache } from '../read-cache/redis-read-cache.js';
import type { BatchStore } from '../store/batch-store.js';
import type { KnowledgeStore } from '../store/knowledge-store.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { kbGuard } from './kb-guard.js';
import { openApiDocument, OPENAPI_PATH } from './openapi.js';
import { staticRoutes } from './static-routes.js';

/** What the web console needs from the hub. */
export interface WebConsoleDeps {
  pool: pg.Pool;
  batches: BatchStore;
  knowledge: KnowledgeStore;
  /** ARGUS_ADMIN_PASSWORD; unset = generate one for a new database. */
  adminPassword?: string | undefined;
  /** REDIS_URL; unset = in-process LRU. */
  redisUrl?: string | undefined;
  /** Sends an approved recommendation to its vehicle (MQTT downlink `recommendation`). */
  publish(vin: string, payload: FirmwareRecommendation): Promise<void>;
  log: Logger;
}

/** The running web console. */
export interface WebConsole {
  /** Mount with `app.route('/', web.app)`. */
  app: Hono;
  /** Viewer-or-better guard for the hub's existing read routes. */
  readGuard: MiddlewareHandler;
  /** Guard of the KB CRUD: viewer reads, OTA engineer writes, writes audited. */
  kbGuard: MiddlewareHandler;
  reads: CachedBatchReads;
  access: Access;
  ota: OtaService;
  /** The bootstrap admin login when this start created or set it (the demo prints it). */
  admin: { username: string; password: string; generated: boolean } | null;
  /** A report was stored: create recommendations. */
  onReport(r: DiagnosisReport): Promise<void>;
  /** A vehicle acknowledged a downlink. */
  onAck(vin: string, ack: DownlinkAck): Promise<void>;
  close(): Promise<void>;
}

/** Builds the web console; seeds the bootstrap admin and the OTA rules from the KB. */
export async function startWebConsole(d: WebConsoleDeps): Promise<WebConsole> {
  const users = new PgUserStore(d.pool);
  const access = new Access(users, d.log);
  const admin = await access.bootstrapAdmin(d.adminPassword);
  const cache: ReadCache = d.redisUrl ? new RedisReadCache(d.redisUrl) : new LruReadCache();
  const reads = new CachedBatchReads(d.batches, cache);
  const otaStore = new PgOtaStore(d.pool);
  const ota = new OtaService({ store: otaStore, batches: d.batches, audit: users, publish: d.publish, log: d.log });
  const seeded = await ota.seed(await d.knowledge.load());
  if (seeded > 0) d.log.info('seeded OTA rules from the knowledge base', { rules: seeded });

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ApiFailure) return c.json({ code: err.code, message: err.message }, err.status);
    d.log.error('web console handler failed', { path: c.req.path, err: err.message });
    return c.json({ code: 'INTERNAL', message: 'internal error' }, 500);
  });
  app.get(OPENAPI_PATH, (c) => c.json(openApiDocument()));
  app.route('/', authRoutes(access));
  app.route('/', otaRoutes({ access, ota, store: otaStore, knowledge: d.knowledge }));
  app.route('/', dashboardRoutes({ access, pool: d.pool, reads, batches: d.batches, ota: otaStore }));
  app.route('/', staticRoutes());

  return {
    app, reads, access, ota, admin,
    readGuard: requireRole(access, 'viewer') as unknown as MiddlewareHandler,
    kbGuard: kbGuard(access, async () => { await ota.seed(await d.knowledge.load()); }),
    async onReport(r) {
      // Errors propagate: the diagnose stage retries, and creation is idempotent per (batch, rule).
      await ota.onDiagnosis(r);
    },
    async onAck(vin, ack) {
      if (ack.kind === 'recommendation') await ota.delivered(vin, ack.id);
    },
    async close() {
      await cache.close();
    },
  };
}
