import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BatchManifest, decodeJson, type ChunkAck, type Logger } from '@argus/shared';
import { backoffDelay } from './backoff.js';
import type { HttpUplink } from './http-uplink.js';
import { ChunkRefusedError, frameKey, type MqttUplink } from './mqtt-uplink.js';
import { outboxPaths } from './outbox-paths.js';
import { remainingFrames } from './packer.js';
import type { TokenBucket } from './token-bucket.js';
import { pickTransport } from './transport-rule.js';

/** What uploading one batch needs. */
export interface UploadContext {
  mqtt: MqttUplink;
  http: HttpUplink;
  bucket: TokenBucket;
  inflight: number;
  fallbackAfterMs: number;
  log: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Called after every acknowledged chunk with its compressed size. */
  onChunk?: (bytes: number, via: 'mqtt' | 'http') => void;
  /** True once the agent is shutting down. */
  stopped: () => boolean;
}

/**
 * Refusals that say nothing about the chunk itself (hub trouble, credentials
 * being rotated, rate limits): retried with backoff. Any other refusal is final
 * for the batch, which is then quarantined.
 */
const RETRYABLE = new Set(['INTERNAL', 'UNAUTHORIZED', 'HTTP_401', 'HTTP_429', 'RATE_LIMITED']);

/** Thrown when the agent stops mid-upload; the outbox keeps what is left. */
export class UploadStopped extends Error {
  readonly code = 'STOPPED';
}

async function chooseLink(c: UploadContext): Promise<'mqtt' | 'http'> {
  for (;;) {
    if (c.stopped()) throw new UploadStopped('agent stopping');
    const t = pickTransport({ mqttConnected: c.mqtt.connected, downSinceMs: c.mqtt.downSince, nowMs: c.now(), fallbackAfterMs: c.fallbackAfterMs });
    if (t !== 'wait') return t;
    await c.sleep(200);
  }
}

/** Sends the manifest over whichever link is usable, until the hub has it. */
export async function sendManifest(dir: string, c: UploadContext): Promise<BatchManifest> {
  const raw = await readFile(outboxPaths.manifest(dir));
  const m = decodeJson(BatchManifest, raw, `outbox manifest ${dir}`);
  for (let attempt = 1; ; attempt++) {
    const via = await chooseLink(c);
    try {
      if (via === 'mqtt') await c.mqtt.publish('manifest', raw);
      else await c.http.putManifest(m, raw);
      return m;
    } catch (err) {
      if ((err as { code?: string }).code === 'MANIFEST_REFUSED') throw err;
      c.log.warn('manifest not delivered, retrying', { batch_id: m.batch_id, via, attempt, err: (err as Error).message });
      await c.sleep(backoffDelay(attempt, c.random(), { minMs: 500, maxMs: 30_000 }));
    }
  }
}

/**
 * Uploads what is left of a batch in the outbox: every frame of a file the
 * manifest lists (frames of evicted files are deleted), `inflight` at a time,
 * each re-sent until the hub acknowledges it as stored; the frame file is
 * deleted only after that acknowledgement.
 */
export async function uploadFrames(dir: string, m: BatchManifest, c: UploadContext): Promise<void> {
  const keep = new Set(m.files.map((f) => f.file_id));
  const frames: string[] = [];
  for (const name of await remainingFrames(dir)) {
    if (keep.has(name.replace(/-\d{6}\.frame$/, ''))) frames.push(name);
    else await unlink(path.join(outboxPaths.chunks(dir), name)).catch(() => undefined);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < frames.length) {
      const name = frames[next++] as string;
      const file = path.join(outboxPaths.chunks(dir), name);
      const frame = await readFile(file);
      await sendUntilStored(frameKey(m.batch_id, name), frame, c);
      await unlink(file).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(c.inflight, frames.length) }, worker));
}

async function sendUntilStored(key: string, frame: Buffer, c: UploadContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const via = await chooseLink(c);
    const wait = c.bucket.take(frame.length, c.now());
    if (wait > 0) await c.sleep(wait);
    let ack: ChunkAck | null = null;
    try {
      ack = via === 'mqtt' ? await c.mqtt.sendChunk(key, frame) : await c.http.putChunk(frame);
    } catch (err) {
      c.log.warn('chunk send failed', { chunk: key, via, attempt, err: (err as Error).message });
    }
    if (ack?.ok) {
      c.onChunk?.(frame.length, via);
      return;
    }
    if (ack && !RETRYABLE.has(ack.error?.code ?? '')) throw new ChunkRefusedError(ack.error?.code ?? 'UNKNOWN', `hub refused chunk ${key}: ${ack.error?.message}`);
    if (!ack) c.log.debug('no ack for chunk, re-sending', { chunk: key, via, attempt });
    else c.log.warn('hub refused chunk for now, retrying', { chunk: key, via, attempt, code: ack.error?.code });
    await c.sleep(backoffDelay(attempt, c.random(), { minMs: 200, maxMs: 10_000 }));
  }
}
