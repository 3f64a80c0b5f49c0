import {
  BatchManifest, decodeChunkFrame, decodeJson, DownlinkAck, parseVehicleTopic, ProtocolError,
  type DownlinkKind, type Logger, type UplinkRejection,
} from '@argus/shared';
import type { Ingest } from '../ingest/ingest.js';
import { IngestError } from '../ingest/ingest-error.js';
import type { IngestMetrics } from '../observability/hub-metrics.js';

/** Sends messages to vehicles. */
export interface VehiclePublisher {
  publish(vin: string, kind: DownlinkKind, payload: unknown): Promise<void>;
}

/**
 * The hub's side of the vehicle MQTT link, whatever carries it: the embedded
 * aedes broker or a client of an external broker (`MQTT_URL`). Uplink messages
 * go to an UplinkRouter; downlink goes out with `publish` (QoS 1).
 */
export interface VehicleLink extends VehiclePublisher {
  /** `mqtt://host:port` vehicles connect to. */
  readonly url: string;
  close(): Promise<void>;
}

/** What the router needs. */
export interface UplinkDeps {
  ingest: Ingest;
  onDownlinkAck(vin: string, ack: DownlinkAck): Promise<void>;
  /**
   * A vehicle can receive downlink (again): the hub re-sends what it has not
   * acknowledged (DownlinkRedelivery). Called without waiting; must not throw.
   */
  onVehicleOnline?(vin: string): void;
  metrics: IngestMetrics;
  log: Logger;
}

/**
 * Routes one uplink message of an authenticated vehicle to ingest and answers
 * on its downlink (`chunk-ack` or `rejected`). Transport-free: shared by every
 * VehicleLink. Never throws for bad input; a refusal is counted by its code.
 */
export class UplinkRouter {
  constructor(private readonly d: UplinkDeps, private readonly out: VehiclePublisher) {}

  async handle(vin: string, topic: string, payload: Buffer): Promise<void> {
    const t = parseVehicleTopic(topic);
    if (!t || t.vin !== vin) return;
    try {
      if (t.kind === 'chunks') {
        const frame = decodeChunkFrame(payload);
        const e = frame.envelope;
        try {
          const ack = await this.d.ingest.chunk(vin, e, frame.data);
          this.d.metrics.chunkAccepted('mqtt', frame.data.length, ack.duplicate);
          await this.out.publish(vin, 'chunk-ack', ack);
        } catch (err) {
          const c = errorCode(err);
          this.d.metrics.rejected('mqtt', c.code);
          await this.out.publish(vin, 'chunk-ack', { v: 1, batch_id: e.batch_id, file_id: e.file_id, chunk_index: e.chunk_index, ok: false, duplicate: false, error: c });
          if (!(err instanceof IngestError || err instanceof ProtocolError)) throw err;
          this.d.log.warn('chunk refused', { vin, batch_id: e.batch_id, file_id: e.file_id, chunk_index: e.chunk_index, code: c.code, reason: c.message });
        }
      } else if (t.kind === 'manifest') {
        const m = decodeJson(BatchManifest, payload, `vehicle ${vin} manifest`, 'BAD_MANIFEST');
        await this.d.ingest.manifest(vin, m);
      } else if (t.kind === 'downlink-ack') {
        await this.d.onDownlinkAck(vin, decodeJson(DownlinkAck, payload, `vehicle ${vin} downlink-ack`));
      }
    } catch (err) {
      if (!(err instanceof ProtocolError) && !(err instanceof IngestError)) {
        this.d.log.error('uplink handling failed', { vin, topic, err: (err as Error).message });
        return;
      }
      this.d.metrics.rejected('mqtt', err.code);
      const rej: UplinkRejection = { v: 1, kind: t.kind, code: err.code, message: err.message, at: new Date().toISOString() };
      this.d.log.warn('uplink refused', { vin, kind: t.kind, code: err.code, reason: err.message });
      await this.out.publish(vin, 'rejected', rej).catch(() => {});
    }
  }
}

function errorCode(err: unknown): { code: string; message: string } {
  if (err instanceof IngestError || err instanceof ProtocolError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: 'the hub failed to store the chunk; re-send it' };
}
