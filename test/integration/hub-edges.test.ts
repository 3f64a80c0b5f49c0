import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPath, API, BatchStatusEvent, ChunkAck, encodeChunkFrame, vehicleToken, vehicleTopic } from '@argus/shared';
import { randomVin, Rng } from '@argus/sim';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { userHeaders } from '../support/user-auth.js';
import { tinyBatch } from '../support/tiny-batch.js';
import { nextMessage } from '../support/mqtt-messages.js';

const MAX_PACKET = 64 * 1024;

async function connect(url: string, vin: string, token: string): Promise<MqttClient> {
  const c = mqtt.connect(url, { username: vin, password: token, clientId: `edge-${randomUUID()}`, reconnectPeriod: 0, protocolVersion: 4 });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return c;
}

/** Reads an SSE stream with a real HTTP client (fetch), collecting `status` events. */
async function sseClient(url: string, auth: Record<string, string> = {}): Promise<{ events: BatchStatusEvent[]; until(f: (e: BatchStatusEvent[]) => boolean, ms?: number): Promise<void>; close(): void }> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal, headers: { accept: 'text/event-stream', ...auth } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: BatchStatusEvent[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const lines = block.split('\n');
        if (!lines.includes('event: status')) continue;
        const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        events.push(BatchStatusEvent.parse(JSON.parse(data)));
      }
    }
  })();
  return {
    events,
    async until(f, ms = 90_000) {
      const end = Date.now() + ms;
      while (!f(events)) {
        if (Date.now() > end) throw new Error(`SSE: condition not met; got ${JSON.stringify(events.map((e) => [e.batch_id.slice(0, 8), e.state]))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => ac.abort(),
  };
}

async function metric(t: TestHub, line: RegExp): Promise<number> {
  const text = await (await fetch(`${t.hub.httpUrl}/metrics`)).text();
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').at(-1)) : 0;
}

describe('hub edges: metrics, SSE status events, MQTT over WebSocket, packet limit, ACLs', () => {
  let t: TestHub;
  const vin = randomVin(Rng.derive(77, 'edges-vin'), 'J7');
  const other = randomVin(Rng.derive(78, 'edges-vin'), 'J7');
  let token: string;
  beforeAll(async () => {
    t = await startTestHub({ mqttWsPort: 0, maxPacketBytes: MAX_PACKET });
    token = vehicleToken(t.cfg.vehicleSecret, vin);
  });
  afterAll(async () => t?.stop());

  it('serves Prometheus metrics of its own registry', async () => {
    const res = await fetch(`${t.hub.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    for (const name of ['argus_ingest_bytes_total', 'argus_ingest_chunks_total', 'argus_ingest_rejections_total', 'argus_barrier_fires_total', 'argus_stage_duration_seconds', 'argus_queue_depth']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/argus_queue_depth\{stage="gather"\} 0/);
  });

  it('a batch uploaded over MQTT-over-WebSocket streams its status to SSE clients; metrics count it', async () => {
    expect(t.hub.mqttWsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    const b = tinyBatch(vin);
    const auth = await userHeaders(t.hub);
    const all = await sseClient(`${t.hub.httpUrl}${API.events}`, auth);
    const one = await sseClient(`${t.hub.httpUrl}${apiPath(API.batchEvents, { batchId: b.batchId })}`, auth);
    const noise = tinyBatch(vin);
    const c = await connect(t.hub.mqttWsUrl as string, vin, token);
    try {
      await c.subscribeAsync(vehicleTopic(vin, 'chunk-ack'), { qos: 1 });
      for (const x of [noise, b]) {
        await c.publishAsync(vehicleTopic(vin, 'manifest'), JSON.stringify(x.manifest), { qos: 1 });
        const acked = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
        await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(x.envelope, x.data), { qos: 1 });
        expect(ChunkAck.parse(JSON.parse((await acked).toString()))).toMatchObject({ ok: true, batch_id: x.batchId, duplicate: false });
      }
      const done = (es: BatchStatusEvent[], id: string) => es.some((e) => e.batch_id === id && (e.state === 'diagnosed' || e.state === 'failed'));
      await one.until((es) => done(es, b.batchId));
      await all.until((es) => done(es, b.batchId) && done(es, noise.batchId));
      expect(one.events.every((e) => e.batch_id === b.batchId)).toBe(true);
      const states = one.events.map((e) => e.state);
      expect(states[0]).toBe('uploaded');
      expect(states).toContain('gathering');
      expect(all.events.map((e) => e.batch_id)).toEqual(expect.arrayContaining([b.batchId, noise.batchId]));
    } finally {
      all.close();
      one.close();
      await c.endAsync();
    }
    expect(await metric(t, /^argus_ingest_chunks_total\{transport="mqtt",duplicate="false"\}/)).toBeGreaterThanOrEqual(2);
    expect(await metric(t, /^argus_ingest_bytes_total\{transport="mqtt"\}/)).toBeGreaterThanOrEqual(b.data.length + noise.data.length);
    expect(await metric(t, /^argus_barrier_fires_total/)).toBeGreaterThanOrEqual(2);
    expect(await metric(t, /^argus_stage_duration_seconds_count\{stage="gather",outcome="ok"\}/)).toBeGreaterThanOrEqual(2);
  });

  it('an MQTT packet over the limit closes the connection before it is buffered, and is counted', async () => {
    const before = await metric(t, /^argus_ingest_rejections_total\{transport="mqtt",code="PACKET_TOO_LARGE"\}/);
    const c = await connect(t.hub.mqttUrl, vin, token);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(vehicleTopic(vin, 'chunks'), Buffer.alloc(MAX_PACKET + 1, 7), { qos: 1 });
    await closed;
    c.end(true);
    expect(await metric(t, /^argus_ingest_rejections_total\{transport="mqtt",code="PACKET_TOO_LARGE"\}/)).toBe(before + 1);
    // The broker keeps serving: a packet just under the limit is read (and refused as a bad frame, not dropped).
    const c2 = await connect(t.hub.mqttUrl, vin, token);
    await c2.subscribeAsync(vehicleTopic(vin, 'rejected'), { qos: 1 });
    const rej = nextMessage(c2, vehicleTopic(vin, 'rejected'));
    await c2.publishAsync(vehicleTopic(vin, 'chunks'), Buffer.alloc(MAX_PACKET - 200, 7), { qos: 1 });
    expect(JSON.parse((await rej).toString())).toMatchObject({ code: 'BAD_FRAME' });
    await c2.endAsync();
  });

  it('the same limit holds on the WebSocket listener', async () => {
    const c = await connect(t.hub.mqttWsUrl as string, vin, token);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(vehicleTopic(vin, 'chunks'), Buffer.alloc(MAX_PACKET * 2, 7), { qos: 1 });
    await closed;
    c.end(true);
  });

  it('ACLs: subscribing to another vehicle\'s topics or to uplink kinds is refused (SUBACK 0x80), and counted', async () => {
    const c = await connect(t.hub.mqttUrl, vin, token);
    const before = await metric(t, /^argus_ingest_rejections_total\{transport="mqtt",code="FORBIDDEN_SUBSCRIBE"\}/);
    // mqtt.js reports a SUBACK with any 0x80 as an error that carries the packet.
    const granted = await c.subscribeAsync([vehicleTopic(other, 'diagnosis'), vehicleTopic(other, 'chunk-ack'), 'argus/v1/vehicles/+/diagnosis', vehicleTopic(vin, 'chunks'), vehicleTopic(vin, 'diagnosis')], { qos: 1 })
      .then(() => [] as number[], (err: { packet?: { granted?: number[] } }) => err.packet?.granted ?? []);
    expect(granted).toEqual([128, 128, 128, 128, 1]);
    // The session stays up: its own downlink subscription works.
    expect((await c.subscribeAsync(vehicleTopic(vin, 'status'), { qos: 1 }))[0]?.qos).toBe(1);
    expect(await metric(t, /^argus_ingest_rejections_total\{transport="mqtt",code="FORBIDDEN_SUBSCRIBE"\}/)).toBe(before + 4);
    await c.endAsync();
  });

  it('refusals on every path are counted by reason: bad login, foreign publish, bad sha256, HTTP', async () => {
    const rej = (code: string, tr = 'mqtt') => metric(t, new RegExp(`^argus_ingest_rejections_total\\{transport="${tr}",code="${code}"\\}`));
    const [u0, f0, s0, h0] = [await rej('UNAUTHORIZED'), await rej('FORBIDDEN'), await rej('SHA256_MISMATCH'), await rej('UNAUTHORIZED', 'http')];
    await expect(connect(t.hub.mqttUrl, vin, 'wrong-token')).rejects.toThrow();
    const c = await connect(t.hub.mqttUrl, vin, token);
    await c.subscribeAsync(vehicleTopic(vin, 'chunk-ack'), { qos: 1 });
    // A publish the ACL refuses closes the connection (aedes, MQTT 3.1.1 has no PUBACK failure code).
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(vehicleTopic(other, 'chunks'), Buffer.from('x'), { qos: 1 });
    await closed;
    c.end(true);
    const c2 = await connect(t.hub.mqttUrl, vin, token);
    await c2.subscribeAsync(vehicleTopic(vin, 'chunk-ack'), { qos: 1 });
    const b = tinyBatch(vin);
    const acked = nextMessage(c2, vehicleTopic(vin, 'chunk-ack'));
    await c2.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame({ ...b.envelope, sha256: 'b'.repeat(64) }, b.data), { qos: 1 });
    expect(ChunkAck.parse(JSON.parse((await acked).toString())).error?.code).toBe('SHA256_MISMATCH');
    await c2.endAsync();
    const r = await fetch(`${t.hub.httpUrl}${apiPath(API.manifest, { batchId: b.batchId })}`, { method: 'PUT', body: '{}' });
    expect(r.status).toBe(401);
    expect(await rej('UNAUTHORIZED')).toBe(u0 + 1);
    expect(await rej('FORBIDDEN')).toBe(f0 + 1);
    expect(await rej('SHA256_MISMATCH')).toBe(s0 + 1);
    expect(await rej('UNAUTHORIZED', 'http')).toBe(h0 + 1);
  });
});
