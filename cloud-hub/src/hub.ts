import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from '@argus/shared';
import type { HubConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { PgQuarantineLog } from './quarantine/quarantine-log.js';
import { createHttpApp } from './http/http-app.js';
import { embeddingConfig, openKnowledge } from './retrieval/open-knowledge.js';
import { openLlm } from './llm/open-llm.js';
import { startWebConsole, type WebConsole } from './dashboard/web-console.js';
import { Ingest } from './ingest/ingest.js';
import { demoKnowledgeBase } from './kb/demo-kb.js';
import { mountEventRoutes } from './http/event-routes.js';
import { openStatusBus, startVehicleLink } from './hub-edges.js';
import { openScaleParts } from './hub-scale.js';
import { resumeBatches } from './pipeline/resume-batches.js';
import { DownlinkRedelivery } from './mqtt/downlink-redelivery.js';
import { MqttBroker } from './mqtt/mqtt-broker.js';
import type { VehicleLink } from './mqtt/uplink-router.js';
import { HubMetrics } from './observability/hub-metrics.js';
import { MeteredQueue } from './observability/metered-queue.js';
import { Pipeline } from './pipeline/pipeline.js';
import type { JobQueue } from './queue/job-queue.js';
import { FsObjectStore } from './store/fs-object-store.js';
import { PackObjectStore } from './store/pack-object-store.js';
import type { ObjectStore } from './store/object-store.js';
import { PgBatchStore } from './store/pg-batch-store.js';
import { PgKnowledgeStore } from './store/pg-knowledge-store.js';
import { S3ObjectStore } from './store/s3-object-store.js';
import { ContentChecker, defaultCheckThreads } from './content/content-check.js';

/** A running hub. */
export interface Hub {
  httpUrl: string;
  mqttUrl: string;
  /** `ws://host:port/mqtt` when the embedded broker also listens on WebSocket. */
  mqttWsUrl: string | undefined;
  db: Database;
  batches: PgBatchStore;
  objects: ObjectStore;
  /** This hub's Prometheus registry (also served at GET /metrics). */
  metrics: HubMetrics;
  /** Users, OTA recommendations, read cache and the dashboard (issue 7). */
  web: WebConsole;
  /** The HTTP app being served; `app.routes` is what the route-drift check compares with dashboard/route-table.ts. */
  app: Hono;
  close(): Promise<void>;
}

/**
 * Starts the whole hub in this process: database (embedded PGlite or
 * DATABASE_URL), object store (filesystem or S3), job queue, MQTT broker and
 * HTTP API. Seeds the demo knowledge base into an empty database.
 */
export async function startHub(cfg: HubConfig, log: Logger): Promise<Hub> {
  const db = await openDatabase({ ...(cfg.databaseUrl ? { url: cfg.databaseUrl } : {}), dataDir: cfg.dataDir, log });
  const objects: ObjectStore = cfg.s3Endpoint
    ? new S3ObjectStore({ endpoint: cfg.s3Endpoint, bucket: cfg.s3Bucket, accessKey: cfg.s3AccessKey, secretKey: cfg.s3SecretKey, region: cfg.s3Region })
    : new PackObjectStore(path.join(cfg.dataDir, 'packs'), { legacy: new FsObjectStore(path.join(cfg.dataDir, 'objects')) });
  const batches = new PgBatchStore(db.pool);
  const knowledge = new PgKnowledgeStore(db.pool);
  if ((await knowledge.count()) === 0) {
    const r = await knowledge.upsert(demoKnowledgeBase());
    log.info('seeded the demo knowledge base', r);
  }
  const kb = await openKnowledge(db.pool, embeddingConfig(cfg), log);
  const metrics: HubMetrics = new HubMetrics((stage): Promise<number> => queue.depth(stage));
  const scale = openScaleParts(cfg, db, log);
  const queue: JobQueue = new MeteredQueue(scale.queue, metrics);
  const bus = await openStatusBus(cfg, log);
  let broker: VehicleLink | undefined;
  const web = await startWebConsole({ pool: db.pool, batches, knowledge, adminPassword: cfg.adminPassword, redisUrl: cfg.redisUrl, log, publish: async (vin, p) => broker?.publish(vin, 'recommendation', p) });
  // With REDIS_URL the LLM limiter (concurrency, requests and tokens per minute) is shared by every hub.
  const llm = openLlm(cfg, kb.retriever, log);
  const pipeline = new Pipeline({
    batches, objects: scale.pipelineObjects(objects), knowledge, queue, log, diagnosis: { retriever: kb.retriever, ...llm.narration },
    sinks: {
      status: async (e) => {
        await web.reads.invalidate(e.batch_id).catch((err: Error) => log.warn('read cache not invalidated', { batch_id: e.batch_id, err: err.message }));
        await bus.publish(e).catch((err: Error) => log.warn('status event not published to the dashboard', { batch_id: e.batch_id, err: err.message }));
        await broker?.publish(e.vin, 'status', e);
      },
      report: async (r) => broker?.publish(r.vin, 'diagnosis', r),
      diagnosed: (r) => web.onReport(r),
    },
  });
  const content = new ContentChecker(cfg.ingestCheckThreads ?? defaultCheckThreads(), log);
  const ingest = new Ingest({
    objects, batches, barrier: scale.barrier, log, maxRawChunkBytes: cfg.maxRawChunkBytes, content,
    onUploadComplete: (id) => {
      metrics.barrierFired();
      return pipeline.uploadComplete(id);
    },
  });
  // Downlink the vehicle never acknowledged goes out again when it comes online (a hub restart empties the embedded broker's queues).
  const redelivery = new DownlinkRedelivery({
    undeliveredReports: (vin) => batches.undeliveredReports(vin),
    redeliverRecommendations: (vin) => web.ota.redeliver(vin),
    publishReport: async (vin, r) => broker?.publish(vin, 'diagnosis', r),
    log,
  });
  broker = await startVehicleLink(cfg, {
    ingest, metrics, log,
    onVehicleOnline: (vin) => void redelivery.online(vin),
    onDownlinkAck: async (vin, ack) => {
      if (ack.kind === 'diagnosis' && !(await batches.markReportDelivered(ack.id, vin))) log.warn('report ack ignored', { vin, id: ack.id });
      await web.onAck(vin, ack);
      log.info('vehicle acknowledged', { vin, kind: ack.kind, id: ack.id });
    },
  });
  pipeline.start();
  await resumeBatches({ batches, queue, log });

  const app = createHttpApp({ ingest, batches, vehicleSecret: cfg.vehicleSecret, log, metrics, maxRawChunkBytes: cfg.maxRawChunkBytes, spoolDir: path.join(cfg.dataDir, 'spool'), readGuard: web.readGuard, kbGuard: web.kbGuard, reads: web.reads, kb, quarantines: new PgQuarantineLog(db.pool) });
  mountEventRoutes(app, { bus, metrics });
  app.route('/', web.app);
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: cfg.httpHost, port: cfg.httpPort }, (info) => resolve({ server: s, port: info.port }));
  });
  const httpUrl = `http://${cfg.httpHost}:${port}`;
  log.info('http api listening', { url: httpUrl });
  return {
    httpUrl, mqttUrl: broker.url, mqttWsUrl: broker instanceof MqttBroker ? broker.wsUrl : undefined, db, batches, objects, metrics, web, app,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await broker?.close();
      await content.close();
      await queue.close();
      await llm.close();
      await scale.close();
      await bus.close();
      await web.close();
      await objects.close?.();
      await db.close();
    },
  };
}
