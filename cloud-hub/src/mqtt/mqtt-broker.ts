import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { checkVehicleToken, parseVehicleTopic, vehicleTopic, type DownlinkAck, type DownlinkKind, type Logger } from '@argus/shared';
import type { Ingest } from '../ingest/ingest.js';
import { NO_METRICS, type IngestMetrics } from '../observability/hub-metrics.js';
import { guardPacketSize } from './packet-size-guard.js';
import { UplinkAdmission } from './uplink-admission.js';
import { UplinkRouter, type VehicleLink } from './uplink-router.js';

export type { VehicleLink, VehiclePublisher } from './uplink-router.js';

/** What the broker hands to the rest of the hub. */
export interface BrokerDeps {
  ingest: Ingest;
  vehicleSecret: string;
  /** Largest MQTT packet (fixed header included); larger ones close the connection before being buffered. */
  maxPacketBytes: number;
  /** Uplink messages of one vehicle in hand at once before its PUBACKs wait for storage (UplinkAdmission). */
  inflightPerVehicle: number;
  /** Bytes of uplink messages in hand over all vehicles beyond which PUBACKs wait for storage. */
  inflightBytes: number;
  onDownlinkAck(vin: string, ack: DownlinkAck): Promise<void>;
  /** A vehicle can take downlink again (see UplinkDeps.onVehicleOnline). */
  onVehicleOnline?(vin: string): void;
  metrics?: IngestMetrics;
  log: Logger;
}

/** Where the broker listens. `wsPort` unset = no WebSocket listener; 0 = a free port. */
export interface BrokerListen {
  host: string;
  port: number;
  wsPort?: number | undefined;
}

/** Path of the MQTT-over-WebSocket endpoint. */
export const MQTT_WS_PATH = '/mqtt';

const UPLINK_OK = new Set(['manifest', 'chunks', 'downlink-ack']);
const DOWNLINK_OK = new Set(['chunk-ack', 'rejected', 'status', 'diagnosis', 'recommendation']);
/** Downlink kinds the hub re-sends until acknowledged: subscribing to one means the vehicle can take them now. */
const REDELIVERED = new Set(['diagnosis', 'recommendation']);

/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1) on TCP and optionally on
 * WebSocket (`ws://host:wsPort/mqtt`). Vehicles log in with username = VIN and
 * password = their token; each may publish only uplink kinds and subscribe
 * only downlink kinds of its own topics. An uplink is handled (ingest) from
 * `authorizePublish`, once it is allowed. aedes 1.x writes a QoS 1 PUBACK
 * when that hook calls back and reads no further packet of that vehicle
 * until then: UplinkAdmission decides whether it calls back at once (the
 * vehicle may send its next message while this one is stored) or once the
 * message is handled (a vehicle at its limit, or a hub holding too many bytes,
 * is held back over TCP). The storage answer is the `chunk-ack` or
 * `rejected` message, not the PUBACK.
 */
export class MqttBroker implements VehicleLink {
  private readonly closers: Array<() => Promise<void>> = [];
  private constructor(private readonly aedes: Aedes, readonly url: string, readonly wsUrl: string | undefined) {}

  static async start(d: BrokerDeps, listen: BrokerListen): Promise<MqttBroker> {
    const metrics = d.metrics ?? NO_METRICS;
    const vins = new WeakMap<Client, string>();
    let router: UplinkRouter | undefined;
    /** Uplink messages being handled; close() waits for them. */
    const handling = new Set<Promise<void>>();
    const admission = new UplinkAdmission<Client>(d.inflightPerVehicle, d.inflightBytes);
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const vin = username ?? '';
        const ok = !!password && parseVehicleTopic(vehicleTopic(vin, 'chunks')) !== null && checkVehicleToken(d.vehicleSecret, vin, password.toString());
        if (!ok) {
          metrics.rejected('mqtt', 'UNAUTHORIZED');
          d.log.warn('mqtt login refused', { client_id: client.id, vin });
          done(Object.assign(new Error('bad username or password'), { returnCode: 4 as const }), false);
          return;
        }
        vins.set(client, vin);
        done(null, true);
      },
      authorizePublish: (client, packet, cb) => {
        if (!client) return cb(null); // the hub itself
        const t = parseVehicleTopic(packet.topic);
        const vin = vins.get(client);
        if (!t || t.vin !== vin || !UPLINK_OK.has(t.kind)) {
          metrics.rejected('mqtt', 'FORBIDDEN');
          d.log.warn('mqtt publish refused', { vin, topic: packet.topic });
          return cb(new Error(`vehicle ${vin} may not publish on ${packet.topic}`));
        }
        // The PUBACK goes when cb is called: now, or once handled (see the class comment).
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        if (!router) return cb(null);
        const early = admission.take(client, payload.length);
        if (early) cb(null);
        const handled = router.handle(vin as string, packet.topic, payload).catch((err: Error) => d.log.error('uplink handling failed', { vin, topic: packet.topic, err: err.message })).finally(() => {
          admission.done(client, payload.length);
          handling.delete(handled);
          if (!early) cb(null);
        });
        handling.add(handled);
      },
      authorizeSubscribe: (client, sub, cb) => {
        const t = parseVehicleTopic(sub.topic);
        if (!t || t.vin !== vins.get(client) || !DOWNLINK_OK.has(t.kind)) {
          metrics.rejected('mqtt', 'FORBIDDEN_SUBSCRIBE');
          d.log.warn('mqtt subscribe refused', { vin: vins.get(client), topic: sub.topic });
          // Negated, not an error: MQTT 3.1.1 §3.9.3 — the SUBACK carries 0x80 (failure) for this topic and the session stays up.
          return cb(null, null);
        }
        cb(null, sub);
      },
    });
    // When a vehicle can take downlink again (DownlinkRedelivery): a resumed session — CONNACK
    // with session present (MQTT 3.1.1 §3.2.2.2), its subscriptions restored before it — or a
    // SUBSCRIBE granted on one of its redelivered topics (a new session, e.g. after a hub restart:
    // aedes keeps sessions in memory). A restored session emits no 'subscribe', so one reconnect
    // signals once.
    if (d.onVehicleOnline) {
      const online = d.onVehicleOnline.bind(d);
      aedes.on('connackSent', (packet, client) => {
        const vin = vins.get(client);
        if (vin && packet.returnCode === 0 && packet.sessionPresent) online(vin);
      });
      aedes.on('subscribe', (subs, client) => {
        const vin = client ? vins.get(client) : undefined;
        if (vin && subs.some((s) => (s.qos as number) !== 128 && REDELIVERED.has(parseVehicleTopic(s.topic)?.kind ?? ''))) online(vin);
      });
    }
    const guarded = (conn: Duplex, req?: http.IncomingMessage) => {
      const g = guardPacketSize(conn, d.maxPacketBytes, (err) => {
        metrics.rejected('mqtt', 'PACKET_TOO_LARGE');
        d.log.warn('mqtt packet refused', { err: err.message });
      });
      (aedes.handle as (s: Duplex, r?: http.IncomingMessage) => void)(g, req);
    };

    const server = net.createServer((s) => guarded(s));
    const port = await listenOn(server, listen.host, listen.port);
    let wsUrl: string | undefined;
    let wsServer: http.Server | undefined;
    let wss: WebSocketServer | undefined;
    if (listen.wsPort !== undefined) {
      wsServer = http.createServer((_req, res) => res.writeHead(404).end());
      wss = new WebSocketServer({ server: wsServer, path: MQTT_WS_PATH, maxPayload: d.maxPacketBytes + 16 });
      wss.on('connection', (ws, req) => guarded(createWebSocketStream(ws), req));
      wsUrl = `ws://${listen.host}:${await listenOn(wsServer, listen.host, listen.wsPort)}${MQTT_WS_PATH}`;
    }
    const self = new MqttBroker(aedes, `mqtt://${listen.host}:${port}`, wsUrl);
    router = new UplinkRouter({ ...d, metrics }, self);
    self.closers.push(
      () => new Promise<void>((r) => aedes.close(() => r())),
      () => new Promise<void>((r) => server.close(() => r())),
      // The uplink messages in hand are handled (stored and answered, or failed) before the hub goes on closing.
      async () => {
        while (handling.size > 0) await Promise.allSettled([...handling]);
      },
    );
    if (wss && wsServer) {
      const [s1, s2] = [wss, wsServer];
      self.closers.push(() => new Promise<void>((r) => s1.close(() => r())), () => new Promise<void>((r) => s2.close(() => r())));
    }
    d.log.info('mqtt broker listening', { url: self.url, ws_url: wsUrl ?? null });
    return self;
  }

  /** Publishes JSON to one vehicle's downlink topic at QoS 1 (queued for offline persistent sessions). */
  publish(vin: string, kind: DownlinkKind, payload: unknown): Promise<void> {
    const packet = { cmd: 'publish', topic: vehicleTopic(vin, kind), payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain: false, dup: false } as PublishPacket;
    return new Promise((resolve, reject) => this.aedes.publish(packet, (err) => (err ? reject(err) : resolve())));
  }

  /** Stops taking vehicles, then waits for the uplink messages in hand to be handled. */
  async close(): Promise<void> {
    for (const c of this.closers) await c();
  }
}

function listenOn(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}
