import type { Logger } from '@argus/shared';
import type { HubConfig } from './config.js';
import { InProcessStatusBus, type StatusBus } from './events/status-bus.js';
import { RedisStatusBus } from './events/redis-status-bus.js';
import { ExternalBrokerLink } from './mqtt/external-broker-link.js';
import { MqttBroker } from './mqtt/mqtt-broker.js';
import type { UplinkDeps, VehicleLink } from './mqtt/uplink-router.js';

/**
 * The hub's link to its vehicles: a client of the broker at `MQTT_URL` when
 * set, else the embedded aedes broker on `HUB_MQTT_HOST:HUB_MQTT_PORT` (and
 * WebSocket on `HUB_MQTT_WS_PORT` when set).
 */
export async function startVehicleLink(cfg: HubConfig, d: UplinkDeps): Promise<VehicleLink> {
  if (cfg.mqttUrl) {
    return ExternalBrokerLink.connect({ url: cfg.mqttUrl, username: cfg.mqttUsername, password: cfg.mqttPassword, clientId: cfg.mqttClientId }, d);
  }
  return MqttBroker.start(
    { ...d, vehicleSecret: cfg.vehicleSecret, maxPacketBytes: cfg.maxPacketBytes, inflightPerVehicle: cfg.mqttInflight, inflightBytes: cfg.mqttInflightBytes },
    { host: cfg.mqttHost, port: cfg.mqttPort, wsPort: cfg.mqttWsPort },
  );
}

/** Status events for the dashboard: over Redis pub/sub when `REDIS_URL` is set (all hubs), else in this process. */
export async function openStatusBus(cfg: HubConfig, log: Logger): Promise<StatusBus> {
  return cfg.redisUrl ? RedisStatusBus.connect(cfg.redisUrl, log) : new InProcessStatusBus();
}
