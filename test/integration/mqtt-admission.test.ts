import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkAck, encodeChunkFrame, vehicleToken, vehicleTopic } from '@argus/shared';
import { randomVin, Rng } from '@argus/sim';
import type { HubConfig } from '../../cloud-hub/src/index.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { tinyBatch } from '../support/tiny-batch.js';

/**
 * When the embedded broker PUBACKs an uplink chunk (UplinkAdmission): at once
 * while the vehicle has fewer than HUB_MQTT_INFLIGHT messages in hand and the
 * hub holds no more than HUB_MQTT_INFLIGHT_BYTES, otherwise only once the chunk
 * is stored — after its `chunk-ack`. Seen from a real mqtt.js vehicle: the
 * order in which its client sees each chunk's PUBACK and `chunk-ack`.
 */
describe('MQTT uplink admission: early PUBACK within the limits, PUBACK after storage beyond them', () => {
  let t: TestHub | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  /** Sends `n` chunks of `n` one-chunk batches at once; answers, per chunk, which of PUBACK and chunk-ack came first. */
  async function race(overrides: Partial<HubConfig>, n: number): Promise<{ order: Array<'puback-first' | 'ack-first'>; acks: ChunkAck[] }> {
    t = await startTestHub(overrides);
    const vin = randomVin(Rng.derive(5, `admission-${randomUUID()}`), 'J7');
    const c: MqttClient = await mqtt.connectAsync(t.hub.mqttUrl, { username: vin, password: vehicleToken(t.cfg.vehicleSecret, vin), clientId: `edge-${randomUUID()}`, reconnectPeriod: 0, protocolVersion: 4 });
    try {
      await c.subscribeAsync(vehicleTopic(vin, 'chunk-ack'), { qos: 1 });
      const batches = Array.from({ length: n }, () => tinyBatch(vin));
      const acks = new Map<string, ChunkAck>();
      const allAcked = new Promise<void>((resolve) => c.on('message', (_topic, msg) => {
        const a = ChunkAck.parse(JSON.parse(msg.toString()));
        acks.set(a.batch_id, a);
        if (acks.size === n) resolve();
      }));
      const order = await Promise.all(batches.map(async (b) => {
        await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(b.envelope, b.data), { qos: 1 });
        return acks.has(b.batchId) ? 'ack-first' as const : 'puback-first' as const;
      }));
      await allAcked;
      return { order, acks: batches.map((b) => acks.get(b.batchId) as ChunkAck) };
    } finally {
      await c.endAsync();
    }
  }

  it('by default a vehicle hears the PUBACK before the chunk is stored, and every chunk is still stored once', async () => {
    const { order, acks } = await race({}, 6);
    expect(order).toEqual(Array(6).fill('puback-first'));
    expect(acks.every((a) => a.ok && !a.duplicate)).toBe(true);
    for (const a of acks) expect((await (t as TestHub).hub.batches.get(a.batch_id))?.chunks_stored).toBe(1);
  });

  it('with HUB_MQTT_INFLIGHT=1 every PUBACK waits for the chunk to be stored (its chunk-ack comes first)', async () => {
    const { order, acks } = await race({ mqttInflight: 1 }, 4);
    expect(order).toEqual(Array(4).fill('ack-first'));
    expect(acks.every((a) => a.ok)).toBe(true);
  });

  it('a vehicle at its limit waits for storage: with HUB_MQTT_INFLIGHT=2 the second of two chunks sent at once is PUBACKed after its chunk-ack', async () => {
    const { order } = await race({ mqttInflight: 2 }, 2);
    expect(order).toEqual(['puback-first', 'ack-first']);
  });

  it('beyond HUB_MQTT_INFLIGHT_BYTES in hand every PUBACK waits for storage', async () => {
    const { order, acks } = await race({ mqttInflightBytes: 1 }, 3);
    expect(order).toEqual(Array(3).fill('ack-first'));
    expect(acks.every((a) => a.ok)).toBe(true);
  });
});
