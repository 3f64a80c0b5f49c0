import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiagnosisReport, Logger } from '@argus/shared';
import { writeFileAtomic } from './atomic-file.js';
import type { AgentConfig } from './config.js';
import { DownlinkStore } from './downlink-store.js';
import { MqttUplink } from './mqtt-uplink.js';
import { packRecording, type PackedBatch } from './packer.js';

/** Outcome of handling one recording. */
export type DriveOutcome =
  | { kind: 'uploaded'; batch: PackedBatch; report: DiagnosisReport | null }
  | { kind: 'quarantined'; file: string; reason: string };

/**
 * Handles one finished recording end to end: pack (native parse → CSV →
 * compressed chunks → outbox), upload over MQTT until every chunk is acknowledged,
 * and optionally wait for the diagnosis. A recording that cannot be parsed is
 * quarantined with its reason; it never blocks the next drive.
 */
export async function processDrive(file: string, cfg: AgentConfig, log: Logger, opts: { waitForDiagnosisMs?: number; onStatus?: (s: unknown) => void } = {}): Promise<DriveOutcome> {
  let batch: PackedBatch;
  try {
    batch = await packRecording(file, {
      stateDir: cfg.stateDir, vin: cfg.vin, log, codec: { encoding: cfg.compression, level: cfg.compressionLevel },
      parse: { topics: cfg.topics, excludeTopics: cfg.excludeTopics, chunkBytes: cfg.chunkBytes, decimate: cfg.decimate, maxRateHz: cfg.maxRateHz },
    });
  } catch (err) {
    const reason = `${(err as { code?: string }).code ?? 'PARSE_FAILED'}: ${(err as Error).message}`;
    await writeFileAtomic(path.join(cfg.stateDir, 'quarantine', `${path.basename(file)}.json`), JSON.stringify({ file: path.resolve(file), reason, at: new Date().toISOString() }, null, 2));
    log.error('recording quarantined', { file, reason });
    return { kind: 'quarantined', file, reason };
  }
  const vin = batch.manifest.vehicle.vin;
  const store = new DownlinkStore(cfg.stateDir);
  const ca = cfg.caFile ? await readFile(cfg.caFile) : undefined;
  const uplink = await MqttUplink.connect({ vin, token: cfg.token, url: cfg.mqttUrl, inflight: cfg.inflight, ackTimeoutMs: cfg.ackTimeoutMs, store, log, ca, caFile: cfg.caFile });
  try {
    if (opts.onStatus) uplink.on('status', opts.onStatus);
    const reportP = opts.waitForDiagnosisMs ? uplink.waitForReport(batch.batchId, opts.waitForDiagnosisMs) : null;
    reportP?.catch(() => undefined);
    await uplink.upload(batch);
    log.info('all chunks acknowledged by the hub', { batch_id: batch.batchId, chunks: batch.frames.length });
    const report = reportP ? await reportP : null;
    return { kind: 'uploaded', batch, report };
  } finally {
    await uplink.close();
  }
}
