import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { BatchManifest, type BatchStatusEvent, type Logger, type UplinkRejection } from '@argus/shared';
import { writeFileAtomic } from './atomic-file.js';
import { backoffDelay } from './backoff.js';
import type { AgentConfig } from './config.js';
import { judgeRecording, scanRecordings, type StableSince } from './detect.js';
import { DownlinkStore } from './downlink-store.js';
import { HttpUplink } from './http-uplink.js';
import { DriveJournal, type DriveEntry } from './journal.js';
import { ChunkRefusedError, MqttUplink } from './mqtt-uplink.js';
import { admitBatch } from './outbox-quota.js';
import { outboxPaths, packRecording } from './packer.js';
import { writeProgress, type UploadProgress } from './progress.js';
import { TokenBucket } from './token-bucket.js';
import { sendManifest, uploadFrames, UploadStopped, type UploadContext } from './upload-batch.js';

const DONE_STATES = new Set(['uploaded', 'gathering', 'gathered', 'diagnosing', 'diagnosed', 'failed']);

/** Clock, randomness and sleep, passed in (tests may speed them up). */
export interface DaemonEnv {
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The `argus-agent run` loop: scans the recordings directory, journals every
 * finished recording, packs it into the outbox (evicting under the quota) and
 * uploads it; a drive is complete once the hub reports its batch uploaded.
 * Every step is resumable from the journal after a crash or power cut.
 */
export class AgentDaemon {
  private stopped = false;
  private readonly memo = new Map<string, StableSince>();
  private lock: Promise<void> = Promise.resolve();
  private progress: UploadProgress | null = null;
  private readonly hubStates = new Map<string, string>();
  private wakeUp: (() => void) | null = null;
  private readonly bucket: TokenBucket;
  private reportRetryAt = 0;

  private constructor(
    private readonly cfg: AgentConfig & { vin: string },
    private readonly log: Logger,
    private readonly journal: DriveJournal,
    private readonly mqtt: MqttUplink,
    private readonly http: HttpUplink,
    private readonly env: DaemonEnv,
  ) {
    this.bucket = new TokenBucket(cfg.bandwidthBytesPerS, env.now());
    mqtt.on('status', (s: BatchStatusEvent) => {
      this.hubStates.set(s.batch_id, s.state);
      this.wake();
    });
  }

  /** Opens the journal and starts connecting (returns at once even when the hub is unreachable). */
  static async start(cfg: AgentConfig, log: Logger, env: DaemonEnv = { now: Date.now, random: Math.random, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }): Promise<AgentDaemon> {
    if (!cfg.vin) throw Object.assign(new Error('invalid agent configuration:\n  vin: required by argus-agent run'), { code: 'BAD_CONFIG' });
    const ca = cfg.caFile ? await readFile(cfg.caFile) : undefined;
    const journal = await DriveJournal.open(cfg.stateDir, () => new Date(env.now()));
    const store = new DownlinkStore(cfg.stateDir);
    const mqtt = MqttUplink.open({
      vin: cfg.vin, token: cfg.token, url: cfg.mqttUrl, inflight: cfg.inflight, ackTimeoutMs: cfg.ackTimeoutMs, store, log, ca, caFile: cfg.caFile,
      reconnectMinMs: cfg.reconnectMinMs, reconnectMaxMs: cfg.reconnectMaxMs, random: env.random,
    });
    const http = new HttpUplink({ baseUrl: cfg.httpUrl, vin: cfg.vin, token: cfg.token, ca, caFile: cfg.caFile, timeoutMs: cfg.ackTimeoutMs });
    log.info('agent started', { vin: cfg.vin, recordings: cfg.recordingsDir, drives_known: journal.all().length });
    return new AgentDaemon({ ...cfg, vin: cfg.vin }, log, journal, mqtt, http, env);
  }

  /** Runs until stop(): the scan+pack loop and the upload loop side by side. */
  async run(): Promise<void> {
    for (const d of this.journal.all()) {
      // a crash between 'complete' and removing the outbox entry leaves it behind
      if ((d.state === 'complete' || d.state === 'quarantined') && d.batch_id) await rm(outboxPaths.batchDir(this.cfg.stateDir, d.batch_id), { recursive: true, force: true });
    }
    const ticker = setInterval(() => void this.saveProgress(), 1000);
    try {
      await Promise.all([this.loop(() => this.scanAndPack()), this.loop(() => this.uploadNext())]);
    } finally {
      clearInterval(ticker);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.mqtt.close().catch(() => undefined);
  }

  /** Journal entries (for tests and status). */
  drives(): DriveEntry[] {
    return this.journal.all();
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private async loop(step: () => Promise<boolean>): Promise<void> {
    while (!this.stopped) {
      let busy = false;
      try {
        busy = await step();
      } catch (err) {
        if (err instanceof UploadStopped) return;
        this.log.error('agent step failed', { err: (err as Error).message, code: (err as { code?: string }).code });
        await this.env.sleep(1000);
      }
      if (!busy && !this.stopped) await new Promise<void>((r) => {
        const t = setTimeout(r, this.cfg.scanIntervalMs);
        this.wakeUp = () => { clearTimeout(t); r(); };
      });
    }
  }

  /** Takes the outbox lock; resolves with its release function. */
  private acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const prev = this.lock;
    this.lock = prev.then(() => held);
    return prev.then(() => release);
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** One scan, then pack up to `concurrency` detected recordings. Returns true when it did work. */
  private async scanAndPack(): Promise<boolean> {
    const now = this.env.now();
    for (const o of await scanRecordings(this.cfg.recordingsDir)) {
      if (this.journal.get(o.name)) continue;
      const { ready, memo } = judgeRecording(o, this.memo.get(o.name), now, { mode: this.cfg.detect, stableSeconds: this.cfg.stableSeconds });
      this.memo.set(o.name, memo);
      if (ready) {
        await this.journal.detect(o.name, o.size);
        this.log.info('drive detected', { recording: o.name, bytes: o.size, marker: o.marker });
      }
    }
    const todo = this.journal.all().filter((d) => d.state === 'detected').slice(0, this.cfg.concurrency);
    await Promise.all(todo.map((d) => this.pack(d)));
    if (todo.length) this.wake();
    return todo.length > 0;
  }

  private async pack(d: DriveEntry): Promise<void> {
    const file = path.join(this.cfg.recordingsDir, d.name);
    let release: (() => void) | null = null;
    try {
      const batch = await packRecording(file, {
        stateDir: this.cfg.stateDir, vin: this.cfg.vin, log: this.log, codec: { encoding: this.cfg.compression, level: this.cfg.compressionLevel },
        parse: { topics: this.cfg.topics, excludeTopics: this.cfg.excludeTopics, chunkBytes: this.cfg.chunkBytes, decimate: this.cfg.decimate, maxRateHz: this.cfg.maxRateHz },
        // The outbox lock is held from admission until the journal says 'packed', so the
        // uploader never seals a batch that eviction is trimming, and two admissions never race.
        admit: async (m, bytes) => {
          release = await this.acquire();
          const inOutbox = this.journal.all().filter((x) => ['packed', 'uploading', 'uploaded'].includes(x.state) && x.batch_id);
          return admitBatch(this.cfg.stateDir, this.cfg.outboxQuotaBytes, inOutbox.map((x) => ({ batchId: x.batch_id as string, sealed: x.state !== 'packed' })), m, bytes, this.log);
        },
      });
      await this.journal.advance(d.name, 'packed', { batch_id: batch.batchId, chunks: batch.frames.length });
    } catch (err) {
      await this.quarantine(d, `${(err as { code?: string }).code ?? 'PARSE_FAILED'}: ${(err as Error).message}`);
    } finally {
      (release as (() => void) | null)?.();
    }
  }

  private async quarantine(d: DriveEntry, reason: string): Promise<void> {
    await writeFileAtomic(path.join(this.cfg.stateDir, 'quarantine', `${d.name}.json`), JSON.stringify({ file: d.name, reason, at: new Date(this.env.now()).toISOString() }, null, 2));
    await this.journal.advance(d.name, 'quarantined', { reason });
    this.log.error('recording quarantined', { recording: d.name, reason });
    this.wake();
  }

  /** Sends the hub the notice of one quarantined recording (over HTTP; retried by the upload loop until it lands). */
  private async report(d: DriveEntry): Promise<void> {
    const code = /^([A-Z0-9_]+):/.exec(d.reason ?? '')?.[1] ?? 'QUARANTINED';
    await this.http.putQuarantine({ v: 1, vin: this.cfg.vin, recording: { name: d.name, bytes: d.size }, code, reason: d.reason ?? '', at: d.updated_at });
    await this.journal.mark(d.name, { reported: true });
    this.log.info('quarantine reported to the hub', { recording: d.name, code });
  }

  private ctx(): UploadContext {
    return {
      mqtt: this.mqtt, http: this.http, bucket: this.bucket, inflight: this.cfg.inflight, fallbackAfterMs: this.cfg.httpFallbackAfterMs,
      log: this.log, now: this.env.now, sleep: this.env.sleep, random: this.env.random, stopped: () => this.stopped,
      onChunk: (bytes, via) => {
        if (this.progress) {
          this.progress.bytes_sent += bytes;
          this.progress.chunks_sent += 1;
          this.progress.via = via;
        }
      },
    };
  }


  /** Advances the oldest drive that is in the outbox by one stage. */
  private async uploadNext(): Promise<boolean> {
    const unreported = this.journal.all().find((x) => x.state === 'quarantined' && !x.reported);
    if (unreported && this.env.now() >= this.reportRetryAt) {
      try {
        await this.report(unreported);
        return true;
      } catch (err) {
        this.reportRetryAt = this.env.now() + 10_000;
        this.log.warn('quarantine report not delivered, will retry', { recording: unreported.name, err: (err as Error).message });
      }
    }
    const d = this.journal.all().find((x) => x.state === 'packed' || x.state === 'uploading' || x.state === 'uploaded');
    if (!d || !d.batch_id) return false;
    const dir = outboxPaths.batchDir(this.cfg.stateDir, d.batch_id);
    if (d.state !== 'uploaded') {
      await this.withLock(() => this.journal.advance(d.name, 'uploading'));
      try {
        await this.uploadBatch(d, dir);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (!(err instanceof ChunkRefusedError) && code !== 'MANIFEST_REFUSED') throw err;
        // The hub will never store this batch as packed: set it aside, go on with the next drive.
        await this.quarantine(d, `${code ?? 'REFUSED'}: ${(err as Error).message}`);
        await rm(dir, { recursive: true, force: true });
        this.progress = null;
        return true;
      }
    }
    await this.confirm(d.batch_id, dir);
    await this.journal.advance(d.name, 'complete');
    this.progress = null;
    await rm(dir, { recursive: true, force: true });
    this.log.info('drive complete', { recording: d.name, batch_id: d.batch_id });
    return true;
  }

  /** Sends the manifest and every frame left; the journal says 'uploaded' once all are acknowledged. */
  private async uploadBatch(d: DriveEntry, dir: string): Promise<void> {
    const batchId = d.batch_id as string;
    const c = this.ctx();
    const m = await sendManifest(dir, c);
    const total = m.files.reduce((n, f) => n + f.chunk_count, 0);
    this.progress = { batch_id: batchId, recording: d.name, chunks_total: total, chunks_sent: 0, bytes_sent: 0, started_at: this.env.now(), via: null };
    this.log.info('upload started', { recording: d.name, batch_id: batchId, chunks: total });
    await uploadFrames(dir, m, c);
    await this.journal.advance(d.name, 'uploaded');
    this.log.info('all chunks acknowledged by the hub', { recording: d.name, batch_id: batchId });
  }


  /**
   * Confirms the hub's barrier ran for a batch whose chunks were all
   * acknowledged: a status event at 'uploaded' or later, or the manifest
   * re-sent and accepted now — the hub runs the barrier on every manifest
   * before answering, so an accepted manifest after the last chunk-ack means
   * the barrier has fired (now or earlier). HTTP answers that directly; over
   * MQTT a PUBACK with no 'rejected' within 5 s counts.
   */
  private async confirm(batchId: string, dir: string): Promise<void> {
    const raw = await readFile(outboxPaths.manifest(dir));
    const m = BatchManifest.parse(JSON.parse(raw.toString()));
    for (let attempt = 1; !this.stopped; attempt++) {
      if (DONE_STATES.has(this.hubStates.get(batchId) ?? '')) return;
      try {
        await this.http.putManifest(m, raw);
        return;
      } catch (err) {
        if ((err as { code?: string }).code === 'MANIFEST_REFUSED') throw err;
      }
      if (this.mqtt.connected) {
        let rejected = false;
        const on = (r: UplinkRejection) => { if (r.kind === 'manifest') rejected = true; };
        this.mqtt.on('rejected', on);
        try {
          await this.mqtt.publish('manifest', raw);
          await this.env.sleep(5000);
          if (!rejected) return;
        } catch { /* retry */ } finally {
          this.mqtt.off('rejected', on);
        }
      }
      await this.env.sleep(backoffDelay(attempt, this.env.random(), { minMs: 500, maxMs: 30_000 }));
    }
    throw new UploadStopped('agent stopping');
  }

  private async saveProgress(): Promise<void> {
    await writeProgress(this.cfg.stateDir, { progress: this.progress, mqtt_connected: this.mqtt.connected, at: this.env.now() }).catch(() => undefined);
  }
}
