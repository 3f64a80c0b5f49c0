import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from '@argus/shared';
import type { HubConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { createHttpApp } from './http/http-app.js';
import { Ingest } from './ingest/ingest.js';
import { demoKnowledgeBase } from './kb/demo-kb.js';
import { MqttBroker } from './mqtt/mqtt-broker.js';
import { Pipeline } from './pipeline/pipeline.js';
import { InProcessQueue } from './queue/in-process-queue.js';
import { FsObjectStore } from './store/fs-object-store.js';
import type { ObjectStore } from './store/object-store.js';
import { PgBatchStore } from './store/pg-batch-store.js';
import { PgKnowledgeStore } from './store/pg-knowledge-store.js';
import { S3ObjectStore } from './store/s3-object-store.js';

/** A running hub. */
export interface Hub {
  httpUrl: string;
  mqttUrl: string;
  db: Database;
  batches: PgBatchStore;
  objects: ObjectStore;
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
    : new FsObjectStore(path.join(cfg.dataDir, 'objects'));
  const batches = new PgBatchStore(db.pool);
  const knowledge = new PgKnowledgeStore(db.pool);
  if ((await knowledge.count()) === 0) {
    const r = await knowledge.upsert(demoKnowledgeBase());
    log.info('seeded the demo knowledge base', r);
  }
  const queue = new InProcessQueue(log);
  let broker: MqttBroker | undefined;
  const pipeline = new Pipeline({
    batches, objects, knowledge, queue, log,
    sinks: {
      status: async (e) => broker?.publish(e.vin, 'status', e),
      report: async (r) => broker?.publish(r.vin, 'diagnosis', r),
    },
  });
  const ingest = new Ingest({
    objects, batches, log, maxRawChunkBytes: cfg.maxRawChunkBytes,
    onUploadComplete: (id) => pipeline.uploadComplete(id),
  });
  const started = await MqttBroker.start({
    ingest, vehicleSecret: cfg.vehicleSecret, maxPacketBytes: cfg.maxPacketBytes, log,
    onDownlinkAck: async (vin, ack) => {
      if (ack.kind === 'diagnosis') await batches.markReportDelivered(ack.id);
      log.info('vehicle acknowledged', { vin, kind: ack.kind, id: ack.id });
    },
  }, cfg.mqttHost, cfg.mqttPort);
  broker = started.broker;
  pipeline.start();

  const app = createHttpApp({ ingest, batches, vehicleSecret: cfg.vehicleSecret, log });
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: cfg.httpHost, port: cfg.httpPort }, (info) => resolve({ server: s, port: info.port }));
  });
  const httpUrl = `http://${cfg.httpHost}:${port}`;
  log.info('http api listening', { url: httpUrl });
  return {
    httpUrl, mqttUrl: `mqtt://${cfg.mqttHost}:${started.port}`, db, batches, objects,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await broker?.close();
      await queue.close();
      await db.close();
    },
  };
}
