import { EventEmitter } from 'node:events';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import {
  BatchStatusEvent, ChunkAck, DiagnosisReport, FirmwareRecommendation, ProtocolError, UplinkRejection, decodeJson, parseVehicleTopic, vehicleTopic,
  type DownlinkAck, type DownlinkKind, type Logger,
} from '@argus/shared';
import type { DownlinkStore } from './downlink-store.js';
import { outboxPaths, remainingFrames, type PackedBatch } from './packer.js';

/** Events: 'status' (BatchStatusEvent), 'diagnosis' (DiagnosisReport), 'recommendation', 'rejected'. */
export interface UplinkOptions {
  vin: string;
  token: string;
  url: string;
  inflight: number;
  ackTimeoutMs: number;
  store: DownlinkStore;
  log: Logger;
}

const DOWNLINK: DownlinkKind[] = ['chunk-ack', 'rejected', 'status', 'diagnosis', 'recommendation'];

/** Thrown when the hub refuses a chunk for good (it can never be stored). */
export class ChunkRefusedError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The vehicle's MQTT link to the hub: persistent session (clean=false), QoS 1
 * both ways. A chunk leaves the outbox only after the hub's `chunk-ack` says it
 * is stored — the PUBACK alone is not enough.
 */
export class MqttUplink extends EventEmitter {
  private readonly client: MqttClient;
  private readonly waiters = new Map<string, { resolve: (a: ChunkAck) => void; reject: (e: Error) => void }>();

  private constructor(private readonly o: UplinkOptions, client: MqttClient) {
    super();
    this.client = client;
    client.on('message', (topic, payload) => {
      this.onMessage(topic, payload).catch((err: Error) => o.log.warn('downlink message rejected', { topic, err: err.message }));
    });
  }

  /** Connects and subscribes to this vehicle's downlink topics. */
  static async connect(o: UplinkOptions): Promise<MqttUplink> {
    const client = mqtt.connect(o.url, {
      clientId: `argus-agent-${o.vin}`, clean: false, username: o.vin, password: o.token,
      protocolVersion: 4, reconnectPeriod: 1000, connectTimeout: 10_000,
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', (err) => reject(new Error(`mqtt connect to ${o.url} failed: ${err.message}`, { cause: err })));
    });
    const up = new MqttUplink(o, client);
    await client.subscribeAsync(DOWNLINK.map((k) => vehicleTopic(o.vin, k)), { qos: 1 });
    o.log.info('connected to hub', { url: o.url, vin: o.vin });
    return up;
  }

  /** Uploads a packed batch: manifest, then every frame left in the outbox, each until acknowledged. */
  async upload(b: PackedBatch): Promise<void> {
    await this.client.publishAsync(vehicleTopic(this.o.vin, 'manifest'), await readFile(outboxPaths.manifest(b.dir)), { qos: 1 });
    const frames = await remainingFrames(b.dir);
    let next = 0;
    let done = 0;
    const total = frames.length;
    const worker = async (): Promise<void> => {
      while (next < frames.length) {
        const name = frames[next++] as string;
        await this.sendUntilAcked(b, name);
        done++;
        if (done % 50 === 0 || done === total) this.o.log.info('upload progress', { batch_id: b.batchId, chunks_acked: done, chunks_total: total });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.inflight, frames.length) }, worker));
  }

  private async sendUntilAcked(b: PackedBatch, name: string): Promise<void> {
    const file = path.join(outboxPaths.chunks(b.dir), name);
    const frame = await readFile(file);
    const m = /^(.+)-(\d{6})\.frame$/.exec(name);
    const key = `${b.batchId}/${m?.[1]}/${Number(m?.[2])}`;
    for (let attempt = 1; ; attempt++) {
      const acked = new Promise<ChunkAck>((resolve, reject) => this.waiters.set(key, { resolve, reject }));
      await this.client.publishAsync(vehicleTopic(this.o.vin, 'chunks'), frame, { qos: 1 });
      const timer = new Promise<null>((r) => setTimeout(() => r(null), this.o.ackTimeoutMs).unref());
      const ack = await Promise.race([acked, timer]);
      this.waiters.delete(key);
      if (ack === null) {
        this.o.log.warn('chunk ack timed out, re-sending', { chunk: key, attempt });
        continue;
      }
      if (!ack.ok) {
        const code = ack.error?.code ?? 'UNKNOWN';
        if (code === 'INTERNAL') continue;
        throw new ChunkRefusedError(code, `hub refused chunk ${key}: ${ack.error?.message ?? code}`);
      }
      await unlink(file).catch(() => undefined);
      return;
    }
  }

  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    const t = parseVehicleTopic(topic);
    if (!t || t.vin !== this.o.vin) throw new ProtocolError('FOREIGN_TOPIC', `message on foreign topic ${topic}`);
    switch (t.kind) {
      case 'chunk-ack': {
        const a = decodeJson(ChunkAck, payload, 'chunk-ack');
        this.waiters.get(`${a.batch_id}/${a.file_id}/${a.chunk_index}`)?.resolve(a);
        return;
      }
      case 'rejected':
        this.emit('rejected', decodeJson(UplinkRejection, payload, 'rejection'));
        return;
      case 'status':
        this.emit('status', decodeJson(BatchStatusEvent, payload, 'status event'));
        return;
      case 'diagnosis': {
        const r = decodeJson(DiagnosisReport, payload, 'diagnosis report');
        await this.o.store.putReport(r);
        await this.ack({ v: 1, kind: 'diagnosis', id: r.report_id, received_at: new Date().toISOString() });
        this.o.log.info('diagnosis received', { batch_id: r.batch_id, status: r.status, findings: r.findings.length });
        this.emit('diagnosis', r);
        return;
      }
      case 'recommendation': {
        const r = decodeJson(FirmwareRecommendation, payload, 'firmware recommendation');
        await this.o.store.putRecommendation(r);
        await this.ack({ v: 1, kind: 'recommendation', id: r.recommendation_id, received_at: new Date().toISOString() });
        this.emit('recommendation', r);
        return;
      }
      default:
        throw new ProtocolError('UNEXPECTED_KIND', `unexpected downlink kind ${t.kind}`);
    }
  }

  private async ack(a: DownlinkAck): Promise<void> {
    await this.client.publishAsync(vehicleTopic(this.o.vin, 'downlink-ack'), JSON.stringify(a), { qos: 1 });
  }

  /** Resolves with the diagnosis of a batch (from disk if it already arrived). */
  async waitForReport(batchId: string, timeoutMs: number): Promise<DiagnosisReport> {
    const have = await this.o.store.getReport(batchId);
    if (have) return have;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('diagnosis', on);
        reject(new Error(`no diagnosis for batch ${batchId} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const on = (r: DiagnosisReport) => {
        if (r.batch_id !== batchId) return;
        clearTimeout(timer);
        this.off('diagnosis', on);
        resolve(r);
      };
      this.on('diagnosis', on);
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
