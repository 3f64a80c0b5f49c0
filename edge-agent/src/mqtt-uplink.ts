import { EventEmitter } from 'node:events';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { vehicleTopic, type ChunkAck, type DiagnosisReport, type DownlinkKind, type Logger } from '@argus/shared';
import { backoffDelay } from './backoff.js';
import { DownlinkHandler } from './downlink-handler.js';
import type { DownlinkStore } from './downlink-store.js';
import { outboxPaths, remainingFrames, type PackedBatch } from './packer.js';
import { describeTlsError } from './tls-error.js';

/** Settings of the MQTT link. */
export interface UplinkOptions {
  vin: string;
  token: string;
  url: string;
  inflight: number;
  ackTimeoutMs: number;
  store: DownlinkStore;
  log: Logger;
  /** PEM CA bundle for mqtts (already read from `caFile`). */
  ca?: Buffer | undefined;
  /** Path of that bundle, named in the log when the hub's certificate is refused. */
  caFile?: string | undefined;
  /** Reconnect backoff, ms (default 1000 … 30000). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  random?: () => number;
}

const DOWNLINK: DownlinkKind[] = ['chunk-ack', 'rejected', 'status', 'diagnosis', 'recommendation'];

/** Thrown when the hub refuses a chunk for good (it can never be stored). */
export class ChunkRefusedError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The vehicle's MQTT link to the hub: persistent session (clean=false, MQTT
 * 3.1.1 §3.1.2.4) so QoS 1 downlink sent while offline arrives on reconnect;
 * reconnects with exponential backoff and jitter. A chunk leaves the outbox
 * only after the hub's `chunk-ack` says it is stored — the PUBACK alone is not
 * enough. Events: 'status', 'diagnosis', 'recommendation', 'rejected',
 * 'online', 'offline'.
 */
export class MqttUplink extends EventEmitter {
  readonly downlink: DownlinkHandler;
  private readonly waiters = new Map<string, (a: ChunkAck) => void>();
  private attempt = 0;
  private closing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** ms timestamp since which the link has been down (null while connected). */
  downSince: number | null = Date.now();

  private constructor(private readonly o: UplinkOptions, readonly client: MqttClient) {
    super();
    this.downlink = new DownlinkHandler({ vin: o.vin, store: o.store, log: o.log, sendAck: (a) => this.publish('downlink-ack', JSON.stringify(a)) });
    for (const ev of ['status', 'diagnosis', 'recommendation', 'rejected'] as const) this.downlink.on(ev, (x) => this.emit(ev, x));
    this.downlink.on('chunk-ack', (a: ChunkAck) => this.waiters.get(`${a.batch_id}/${a.file_id}/${a.chunk_index}`)?.(a));
    client.on('message', (topic, payload) => void this.downlink.handle(topic, payload));
    client.on('connect', (ack) => {
      this.attempt = 0;
      this.downSince = null;
      o.log.info('connected to hub', { url: o.url, vin: o.vin, session_present: ack.sessionPresent });
      if (ack.sessionPresent) {
        this.emit('online');
        return;
      }
      client.subscribe(DOWNLINK.map((k) => vehicleTopic(o.vin, k)), { qos: 1 }, (err) => {
        if (err) o.log.warn('subscribe failed', { err: err.message });
        this.emit('online');
      });
    });
    client.on('close', () => {
      if (this.downSince === null) {
        this.downSince = Date.now();
        o.log.warn('mqtt link down', { url: o.url });
        this.emit('offline');
      }
      // mqtt.js's own reconnect is a fixed-period interval: it is off (reconnectPeriod 0) and
      // every attempt is scheduled here with a growing, jittered delay.
      if (this.closing || this.retryTimer) return;
      this.attempt += 1;
      const delay = backoffDelay(this.attempt, (o.random ?? Math.random)(), { minMs: o.reconnectMinMs ?? 1000, maxMs: o.reconnectMaxMs ?? 30_000 });
      o.log.debug('mqtt reconnect scheduled', { attempt: this.attempt, delay_ms: delay });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        // Keep the stores: QoS 1 messages in flight are re-sent on the resumed session.
        if (!this.closing) client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
      }, delay);
    });
    client.on('error', (err) => {
      const tls = describeTlsError(err, o.caFile);
      // Logged at every attempt (with backoff): a certificate refusal needs an operator, not patience.
      if (tls) o.log.error('hub certificate refused', { url: o.url, code: tls.code, err: tls.message });
      else o.log.warn('mqtt error', { err: err.message });
    });
  }

  /** Starts connecting in the background (never throws for an unreachable hub). */
  static open(o: UplinkOptions): MqttUplink {
    const client = mqtt.connect(o.url, {
      clientId: `argus-agent-${o.vin}`, clean: false, username: o.vin, password: o.token,
      protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000, ...(o.ca ? { ca: o.ca } : {}),
    });
    return new MqttUplink(o, client);
  }

  /** Connects and waits for the first CONNACK (rejects on a refused login). */
  static async connect(o: UplinkOptions): Promise<MqttUplink> {
    const up = MqttUplink.open(o);
    await new Promise<void>((resolve, reject) => {
      up.once('online', () => resolve());
      up.client.once('error', (err) => reject(new Error(`mqtt connect to ${o.url} failed: ${err.message}`, { cause: err })));
    });
    return up;
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Publishes at QoS 1; rejects when no PUBACK came within `timeoutMs`. */
  async publish(kind: 'manifest' | 'chunks' | 'downlink-ack', payload: Buffer | string, timeoutMs = this.o.ackTimeoutMs): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.publishAsync(vehicleTopic(this.o.vin, kind), payload, { qos: 1 }),
        new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(`no PUBACK for ${kind} within ${timeoutMs} ms`), { code: 'PUBACK_TIMEOUT' })), timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends one chunk frame; resolves with the hub's ack, or null when none came in time (re-send). */
  async sendChunk(key: string, frame: Buffer): Promise<ChunkAck | null> {
    let timer: NodeJS.Timeout | undefined;
    const acked = new Promise<ChunkAck | null>((resolve) => {
      this.waiters.set(key, resolve);
      timer = setTimeout(() => resolve(null), this.o.ackTimeoutMs);
    });
    try {
      await this.publish('chunks', frame);
      return await acked;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
      this.waiters.delete(key);
    }
  }

  /** Uploads a packed batch over MQTT only: manifest, then every frame left, each until acknowledged. */
  async upload(b: PackedBatch): Promise<void> {
    await this.publish('manifest', await readFile(outboxPaths.manifest(b.dir)));
    const frames = await remainingFrames(b.dir);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < frames.length) {
        const name = frames[next++] as string;
        const file = path.join(outboxPaths.chunks(b.dir), name);
        const frame = await readFile(file);
        const key = frameKey(b.batchId, name);
        for (;;) {
          const ack = await this.sendChunk(key, frame);
          if (!ack || (!ack.ok && ack.error?.code === 'INTERNAL')) continue;
          if (!ack.ok) throw new ChunkRefusedError(ack.error?.code ?? 'UNKNOWN', `hub refused chunk ${key}: ${ack.error?.message}`);
          await unlink(file).catch(() => undefined);
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.inflight, frames.length) }, worker));
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
    this.closing = true;
    clearTimeout(this.retryTimer);
    await this.client.endAsync();
  }
}

/** `{batch}/{file}/{index}` of a frame file named `{file}-{index:06}.frame`. */
export function frameKey(batchId: string, name: string): string {
  const m = /^(.+)-(\d{6})\.frame$/.exec(name);
  return `${batchId}/${m?.[1]}/${Number(m?.[2])}`;
}
