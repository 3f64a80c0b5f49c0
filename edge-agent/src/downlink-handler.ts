import { EventEmitter } from 'node:events';
import {
  BatchStatusEvent, ChunkAck, DiagnosisReport, FirmwareRecommendation, ProtocolError, UplinkRejection, decodeJson, parseVehicleTopic,
  type DownlinkAck, type Logger,
} from '@argus/shared';
import type { DownlinkStore } from './downlink-store.js';

/**
 * Decodes every downlink message against the shared schemas and routes it.
 * Events: 'chunk-ack' (ChunkAck), 'status' (BatchStatusEvent), 'diagnosis',
 * 'recommendation', 'rejected' (UplinkRejection). Reports and recommendations
 * are stored before they are acknowledged (`sendAck`), so a crash in between
 * means a re-delivery, never a loss. Anything malformed or addressed to another
 * vehicle is refused and logged ('downlink message rejected', with a code).
 */
export class DownlinkHandler extends EventEmitter {
  constructor(private readonly o: { vin: string; store: DownlinkStore; log: Logger; sendAck(a: DownlinkAck): Promise<void>; now?: () => Date }) {
    super();
  }

  /** Handles one message; never throws. Returns false when it was rejected. */
  async handle(topic: string, payload: Buffer): Promise<boolean> {
    try {
      await this.route(topic, payload);
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'DOWNLINK_FAILED';
      this.o.log.warn('downlink message rejected', { topic, code, err: (err as Error).message, bytes: payload.length });
      return false;
    }
  }

  private async route(topic: string, payload: Buffer): Promise<void> {
    const t = parseVehicleTopic(topic);
    if (!t || t.vin !== this.o.vin) throw new ProtocolError('FOREIGN_TOPIC', `message on foreign topic ${topic}`);
    const at = (this.o.now ?? (() => new Date()))().toISOString();
    switch (t.kind) {
      case 'chunk-ack':
        this.emit('chunk-ack', decodeJson(ChunkAck, payload, 'chunk-ack'));
        return;
      case 'rejected': {
        const r = decodeJson(UplinkRejection, payload, 'rejection');
        this.o.log.warn('hub rejected an uplink message', { kind: r.kind, code: r.code, reason: r.message });
        this.emit('rejected', r);
        return;
      }
      case 'status': {
        const s = decodeJson(BatchStatusEvent, payload, 'status event');
        if (s.vin !== this.o.vin) throw new ProtocolError('FOREIGN_VEHICLE', `status event for vehicle ${s.vin}`);
        this.emit('status', s);
        return;
      }
      case 'diagnosis': {
        const r = decodeJson(DiagnosisReport, payload, 'diagnosis report');
        if (r.vin !== this.o.vin) throw new ProtocolError('FOREIGN_VEHICLE', `diagnosis report ${r.report_id} is for vehicle ${r.vin}`);
        await this.o.store.putReport(r);
        await this.o.sendAck({ v: 1, kind: 'diagnosis', id: r.report_id, received_at: at });
        this.o.log.info('diagnosis received', { batch_id: r.batch_id, status: r.status, findings: r.findings.length });
        this.emit('diagnosis', r);
        return;
      }
      case 'recommendation': {
        const r = decodeJson(FirmwareRecommendation, payload, 'firmware recommendation');
        if (r.vin !== this.o.vin) throw new ProtocolError('FOREIGN_VEHICLE', `recommendation ${r.recommendation_id} is for vehicle ${r.vin}`);
        await this.o.store.putRecommendation(r);
        await this.o.sendAck({ v: 1, kind: 'recommendation', id: r.recommendation_id, received_at: at });
        this.o.log.info('firmware recommendation received', { id: r.recommendation_id });
        this.emit('recommendation', r);
        return;
      }
      default:
        throw new ProtocolError('UNEXPECTED_KIND', `unexpected downlink kind ${t.kind}`);
    }
  }
}
