import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkAck, encodeChunkFrame, UplinkRejection, vehicleToken, vehicleTopic } from '@argus/shared';
import { randomVin, Rng } from '@argus/sim';
import { startLocalServer, type LocalServer } from '../support/local-server.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { tinyBatch } from '../support/tiny-batch.js';
import { nextMessage } from '../support/mqtt-messages.js';

/** Debian's mosquitto on a free loopback port, anonymous logins allowed (the test stands in for a fleet broker's own auth). */
function startMosquitto(): Promise<LocalServer> {
  return startLocalServer('mosquitto', (port) => {
    const conf = path.join(os.tmpdir(), `argus-mosquitto-${randomUUID()}.conf`);
    writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 10000', ''].join('\n'));
    return ['-c', conf];
  });
}

describe('external broker mode (MQTT_URL): the hub is a client of mosquitto', () => {
  let broker: LocalServer;
  let t: TestHub;
  const vin = randomVin(Rng.derive(91, 'ext-vin'), 'K1');
  beforeAll(async () => {
    broker = await startMosquitto();
    t = await startTestHub({ mqttUrl: `mqtt://127.0.0.1:${broker.port}`, mqttClientId: 'hub-a' });
  });
  afterAll(async () => {
    await t?.stop();
    await broker?.stop();
  });

  it('takes a batch from a vehicle on the external broker, acks after storing, pushes status back', async () => {
    expect(t.hub.mqttUrl).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const c = await mqtt.connectAsync(t.hub.mqttUrl, { username: vin, password: vehicleToken(t.cfg.vehicleSecret, vin), clientId: `edge-${randomUUID()}`, clean: false, protocolVersion: 4, reconnectPeriod: 0 });
    try {
      await c.subscribeAsync([vehicleTopic(vin, 'chunk-ack'), vehicleTopic(vin, 'status'), vehicleTopic(vin, 'rejected')], { qos: 1 });
      const b = tinyBatch(vin);
      const states: string[] = [];
      c.on('message', (topic, p) => {
        if (topic === vehicleTopic(vin, 'status')) states.push((JSON.parse(p.toString()) as { state: string }).state);
      });
      await c.publishAsync(vehicleTopic(vin, 'manifest'), JSON.stringify(b.manifest), { qos: 1 });
      const acked = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
      await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(b.envelope, b.data), { qos: 1 });
      expect(ChunkAck.parse(JSON.parse((await acked).toString()))).toMatchObject({ ok: true, duplicate: false, batch_id: b.batchId });
      // Re-sent: idempotent.
      const again = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
      await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(b.envelope, b.data), { qos: 1 });
      expect(ChunkAck.parse(JSON.parse((await again).toString()))).toMatchObject({ ok: true, duplicate: true });
      for (let i = 0; i < 600 && !states.some((s) => s === 'diagnosed' || s === 'failed'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(states[0]).toBe('uploaded');
      expect(states.some((s) => s === 'diagnosed' || s === 'failed')).toBe(true);
      expect((await t.hub.batches.get(b.batchId))?.chunks_stored).toBe(1);

      // Bad input is refused with a reason on the same path, and counted.
      const rej = nextMessage(c, vehicleTopic(vin, 'rejected'));
      await c.publishAsync(vehicleTopic(vin, 'chunks'), Buffer.from('not a frame'), { qos: 1 });
      expect(UplinkRejection.parse(JSON.parse((await rej).toString())).code).toBe('BAD_FRAME');
      expect(await t.hub.metrics.render()).toMatch(/argus_ingest_rejections_total\{transport="mqtt",code="BAD_FRAME"\} 1/);
    } finally {
      await c.endAsync();
    }
  });

  it('uses a shared subscription, so two hubs split the uplinks instead of both handling each', async () => {
    const t2 = await startTestHub({ mqttUrl: `mqtt://127.0.0.1:${broker.port}`, mqttClientId: 'hub-b' });
    try {
      const before = [await chunks(t), await chunks(t2)];
      const c = await mqtt.connectAsync(t.hub.mqttUrl, { username: vin, password: 'x', clientId: `edge-${randomUUID()}`, protocolVersion: 4, reconnectPeriod: 0 });
      await c.subscribeAsync(vehicleTopic(vin, 'chunk-ack'), { qos: 1 });
      const n = 10;
      let acks = 0;
      c.on('message', () => acks++);
      for (let i = 0; i < n; i++) {
        const b = tinyBatch(vin, 5 + i);
        await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(b.envelope, b.data), { qos: 1 });
      }
      for (let i = 0; i < 300 && acks < n; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500)); // room for any second (wrong) delivery
      expect(acks).toBe(n);
      await c.endAsync();
      const [a, b] = [(await chunks(t)) - (before[0] as number), (await chunks(t2)) - (before[1] as number)];
      // Each uplink handled by exactly one hub (duplicates included in the count), and both hubs took a share.
      expect(a + b).toBe(n);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
    } finally {
      await t2.stop();
    }
  });
});

/** Chunks a hub handled over MQTT, new and duplicate. */
async function chunks(t: TestHub): Promise<number> {
  const text = await t.hub.metrics.render();
  return [...text.matchAll(/^argus_ingest_chunks_total\{transport="mqtt",duplicate="(?:true|false)"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}
