import os from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import { fleetSubscription, parseVehicleTopic, UPLINK_KINDS, vehicleTopic, type DownlinkKind } from '@argus/shared';
import { NO_METRICS } from '../observability/hub-metrics.js';
import { UplinkRouter, type UplinkDeps, type VehicleLink } from './uplink-router.js';

/** Shared-subscription group of all hubs (MQTT 5 §4.8.2; mosquitto, EMQX and HiveMQ accept it on 3.1.1 too). */
export const HUB_SHARE_GROUP = 'argus-hub';

/** How to reach the external broker. */
export interface ExternalBrokerOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** Stable per hub instance so its persistent session (clean: false) survives a reconnect. */
  clientId?: string | undefined;
}

/**
 * The hub as a client of an existing MQTT broker (mosquitto, EMQX, HiveMQ…),
 * instead of the embedded aedes. Uplinks of every vehicle arrive on a shared
 * subscription, so N hubs split the fleet's load; where the broker refuses
 * `$share/` the hub falls back to a plain subscription (then run one hub, or
 * each message is handled by every hub — harmless, ingest is idempotent, but
 * wasteful). The PUBACK of an uplink is sent only after ingest handled it, the
 * same push-back as the embedded broker.
 *
 * In this mode the broker authenticates vehicles and its ACLs must confine each
 * vehicle to `argus/v1/vehicles/{its VIN}/#` (see docs/operations.md): the
 * hub takes the VIN from the topic.
 */
export class ExternalBrokerLink implements VehicleLink {
  private constructor(private readonly inbound: MqttClient, private readonly outbound: MqttClient, readonly url: string, readonly shared: boolean) {}

  static async connect(o: ExternalBrokerOptions, d: Omit<UplinkDeps, 'metrics'> & Partial<Pick<UplinkDeps, 'metrics'>>): Promise<ExternalBrokerLink> {
    // Two connections: an uplink one whose PUBACKs wait for ingest (mqtt.js reads no further
    // packet until handleMessage is done), and a downlink one, so that publishing a chunk-ack
    // at QoS 1 from inside that handler does not wait on a PUBACK the first one cannot read.
    const id = o.clientId ?? `argus-hub-${os.hostname()}`;
    const auth = { ...(o.username ? { username: o.username } : {}), ...(o.password ? { password: o.password } : {}) };
    const client = await open(o.url, { clientId: `${id}-up`, clean: false, ...auth }, d.log);
    const outbound = await open(o.url, { clientId: `${id}-down`, clean: true, ...auth }, d.log);
    let router: UplinkRouter | undefined;
    // This hub cannot see a vehicle's CONNECT on the external broker; a vehicle's first uplink
    // since this hub started is its "online" signal for re-sending unacknowledged downlink
    // (the broker's own persistent sessions cover the rest while the broker keeps them).
    const heard = new Set<string>();
    client.handleMessage = (packet, done) => {
      const t = parseVehicleTopic(packet.topic);
      if (!t || !router) return done();
      if (d.onVehicleOnline && !heard.has(t.vin)) {
        heard.add(t.vin);
        d.onVehicleOnline(t.vin);
      }
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      router.handle(t.vin, packet.topic, payload).then(() => done(), () => done());
    };
    const shared = await subscribeFleet(client);
    const link = new ExternalBrokerLink(client, outbound, o.url, shared);
    router = new UplinkRouter({ ...d, metrics: d.metrics ?? NO_METRICS }, link);
    d.log.info('connected to external mqtt broker', { url: o.url, shared_subscription: shared });
    return link;
  }

  publish(vin: string, kind: DownlinkKind, payload: unknown): Promise<void> {
    return this.outbound.publishAsync(vehicleTopic(vin, kind), JSON.stringify(payload), { qos: 1 }).then(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([this.inbound.endAsync(), this.outbound.endAsync()]);
  }
}

async function open(url: string, opts: mqtt.IClientOptions, log: UplinkDeps['log']): Promise<MqttClient> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 2000, ...opts });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  client.on('error', (err) => log.warn('mqtt broker link error', { client_id: opts.clientId, err: err.message }));
  return client;
}

/** Subscribes to every uplink kind; true when the broker granted the shared subscriptions. */
async function subscribeFleet(client: MqttClient): Promise<boolean> {
  const shared = UPLINK_KINDS.map((k) => `$share/${HUB_SHARE_GROUP}/${fleetSubscription(k)}`);
  const granted = await client.subscribeAsync(shared, { qos: 1 });
  // SUBACK return code 0x80 = failure (MQTT 3.1.1 §3.9.3).
  if (granted.every((g) => g.qos !== 128)) return true;
  await client.unsubscribeAsync(shared).catch(() => {});
  await client.subscribeAsync(UPLINK_KINDS.map((k) => fleetSubscription(k)), { qos: 1 });
  return false;
}
