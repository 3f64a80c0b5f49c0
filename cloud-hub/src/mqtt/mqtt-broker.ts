import net from 'node:net';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import {
  checkVehicleToken, decodeChunkFrame, decodeJson, parseVehicleTopic, ProtocolError, vehicleTopic, BatchManifest, DownlinkAck,
  type DownlinkKind, type Logger, type UplinkRejection,
} from '@argus/shared';
import type { Ingest } from '../ingest/ingest.js';
import { IngestError } from '../ingest/ingest-error.js';

/** What the broker hands to the rest of the hub. */
export interface BrokerDeps {
  ingest: Ingest;
  vehicleSecret: string;
  maxPacketBytes: number;
  onDownlinkAck(vin: string, ack: DownlinkAck): Promise<void>;
  log: Logger;
}

/** Sends messages to vehicles. */
export interface VehiclePublisher {
  publish(vin: string, kind: DownlinkKind, payload: unknown): Promise<void>;
}

const UPLINK_OK = new Set(['manifest', 'chunks', 'downlink-ack']);
const DOWNLINK_OK = new Set(['chunk-ack', 'rejected', 'status', 'diagnosis', 'recommendation']);

/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1) on TCP. Vehicles log in with
 * username = VIN and password = their token; each may publish only uplink
 * kinds and subscribe only downlink kinds of its own topics. Uplink messages
 * are handed to ingest before the PUBACK is sent; the application-level
 * answer goes back on `chunk-ack` or `rejected`.
 */
export class MqttBroker implements VehiclePublisher {
  private server: net.Server | undefined;
  private constructor(private readonly aedes: Aedes, private readonly d: BrokerDeps) {}

  static async start(d: BrokerDeps, host: string, port: number): Promise<{ broker: MqttBroker; port: number }> {
    const vins = new WeakMap<Client, string>();
    let self: MqttBroker | undefined;
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const vin = username ?? '';
        const ok = !!password && parseVehicleTopic(vehicleTopic(vin, 'chunks')) !== null && checkVehicleToken(d.vehicleSecret, vin, password.toString());
        if (!ok) {
          d.log.warn('mqtt login refused', { client_id: client.id, vin });
          const err = Object.assign(new Error('bad username or password'), { returnCode: 4 as const });
          done(err, false);
          return;
        }
        vins.set(client, vin);
        done(null, true);
      },
      authorizePublish: (client, packet, cb) => {
        const t = parseVehicleTopic(packet.topic);
        const vin = client ? vins.get(client) : undefined;
        if (!client) return cb(null); // the hub itself
        if (!t || t.vin !== vin || !UPLINK_OK.has(t.kind)) {
          d.log.warn('mqtt publish refused', { vin, topic: packet.topic });
          return cb(new Error(`vehicle ${vin} may not publish on ${packet.topic}`));
        }
        if (packet.payload.length > d.maxPacketBytes) return cb(new Error('payload too large'));
        cb(null);
      },
      authorizeSubscribe: (client, sub, cb) => {
        const t = parseVehicleTopic(sub.topic);
        if (!t || t.vin !== vins.get(client) || !DOWNLINK_OK.has(t.kind)) {
          d.log.warn('mqtt subscribe refused', { vin: vins.get(client), topic: sub.topic });
          return cb(new Error(`not allowed to subscribe to ${sub.topic}`));
        }
        cb(null, sub);
      },
      published: (packet, client, cb) => {
        const vin = client ? vins.get(client) : undefined;
        if (!vin || !self) return cb();
        self.onUplink(vin, packet).then(() => cb(), (err: Error) => {
          d.log.error('uplink handling failed', { vin, topic: packet.topic, err: err.message });
          cb();
        });
      },
    });
    self = new MqttBroker(aedes, d);
    const server = net.createServer(aedes.handle as (s: net.Socket) => void);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    self.server = server;
    const addr = server.address() as net.AddressInfo;
    d.log.info('mqtt broker listening', { url: `mqtt://${host}:${addr.port}` });
    return { broker: self, port: addr.port };
  }

  /** Routes one uplink message; never throws (answers with a rejection instead). */
  private async onUplink(vin: string, packet: PublishPacket): Promise<void> {
    const t = parseVehicleTopic(packet.topic);
    if (!t) return;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    try {
      if (t.kind === 'chunks') {
        const frame = decodeChunkFrame(payload);
        try {
          const ack = await this.d.ingest.chunk(vin, frame.envelope, frame.data);
          await this.publish(vin, 'chunk-ack', ack);
        } catch (err) {
          const e = frame.envelope;
          const c = errorCode(err);
          await this.publish(vin, 'chunk-ack', { v: 1, batch_id: e.batch_id, file_id: e.file_id, chunk_index: e.chunk_index, ok: false, duplicate: false, error: { code: c.code, message: c.message } });
          if (!(err instanceof IngestError)) throw err;
          this.d.log.warn('chunk refused', { vin, batch_id: e.batch_id, code: c.code, reason: c.message });
        }
      } else if (t.kind === 'manifest') {
        const m = decodeJson(BatchManifest, payload, `vehicle ${vin} manifest`, 'BAD_MANIFEST');
        await this.d.ingest.manifest(vin, m);
      } else if (t.kind === 'downlink-ack') {
        await this.d.onDownlinkAck(vin, decodeJson(DownlinkAck, payload, `vehicle ${vin} downlink-ack`));
      }
    } catch (err) {
      if (!(err instanceof ProtocolError) && !(err instanceof IngestError)) throw err;
      const rej: UplinkRejection = { v: 1, kind: t.kind, code: err.code, message: err.message, at: new Date().toISOString() };
      this.d.log.warn('uplink refused', { vin, kind: t.kind, code: err.code, reason: err.message });
      await this.publish(vin, 'rejected', rej);
    }
  }

  /** Publishes JSON to one vehicle's downlink topic at QoS 1 (queued for offline persistent sessions). */
  publish(vin: string, kind: DownlinkKind, payload: unknown): Promise<void> {
    const packet = { cmd: 'publish', topic: vehicleTopic(vin, kind), payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain: false, dup: false } as PublishPacket;
    return new Promise((resolve, reject) => this.aedes.publish(packet, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.aedes.close(() => r()));
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

function errorCode(err: unknown): { code: string; message: string } {
  if (err instanceof IngestError || err instanceof ProtocolError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: 'the hub failed to store the chunk; re-send it' };
}
