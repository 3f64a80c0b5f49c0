import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import mqtt, { type MqttClient } from 'mqtt';
import { compress as zstdCompress } from 'zstd-napi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChunkAck, encodeChunkFrame, UplinkRejection, vehicleToken, vehicleTopic, type ChunkEnvelope,
} from '@argus/shared';
import { parseAgentConfig, processDrive } from '@argus/edge-agent';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { tinyBatch, type TinyBatch } from '../support/tiny-batch.js';
import { userHeaders } from '../support/user-auth.js';
import { nextMessage } from '../support/mqtt-messages.js';

/** A vehicle's raw MQTT client, subscribed to its downlink. */
async function vehicleClient(t: TestHub, vin: string, token = vehicleToken(t.cfg.vehicleSecret, vin)): Promise<MqttClient> {
  const c = mqtt.connect(t.hub.mqttUrl, { username: vin, password: token, clientId: `test-${randomUUID()}`, reconnectPeriod: 0, protocolVersion: 4 });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  await c.subscribeAsync([vehicleTopic(vin, 'chunk-ack'), vehicleTopic(vin, 'rejected')], { qos: 1 });
  return c;
}

function envelopeFor(batchId: string, data: Buffer, raw: Buffer, sha = createHash('sha256').update(data).digest('hex')): ChunkEnvelope {
  return { v: 1, batch_id: batchId, file_id: 't000', topic: '/compute/stats', chunk_index: 0, chunk_count: 1, sha256: sha, content_encoding: 'gzip', byte_length: data.length, raw_length: raw.length, rows: 1 };
}

/** Publishes one chunk and answers the hub's `chunk-ack` for it. */
async function sendChunk(c: MqttClient, vin: string, e: ChunkEnvelope, data: Buffer): Promise<ChunkAck> {
  const acked = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
  await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(e, data), { qos: 1 });
  return ChunkAck.parse(JSON.parse((await acked).toString()));
}

/** The envelope of `b`'s chunk sent as the zstd bytes `data`, claiming `rawLength` bytes of CSV. */
function zstdEnvelope(b: TinyBatch, data: Buffer, rawLength = b.csv.length): ChunkEnvelope {
  return { ...b.envelope, content_encoding: 'zstd', byte_length: data.length, raw_length: rawLength, sha256: createHash('sha256').update(data).digest('hex') };
}

/** The batch once it is `failed`, or as it stands after 30 s. */
async function batchWhenFailed(t: TestHub, batchId: string): Promise<Awaited<ReturnType<TestHub['hub']['batches']['get']>>> {
  const end = Date.now() + 30_000;
  while ((await t.hub.batches.get(batchId))?.state !== 'failed' && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return t.hub.batches.get(batchId);
}

describe('bad input on the skeleton boundaries', () => {
  let t: TestHub;
  const vin = randomVin(Rng.derive(5, 'vin'), 'J7');
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.stop());

  it('a corrupt recording is quarantined with its reason and nothing reaches the hub; the next drive still uploads', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'argus-bad-'));
    const bad = path.join(work, 'corrupt.mcap');
    await writeFile(bad, Buffer.from('this is not an MCAP file at all, just text'));
    const cfg = parseAgentConfig({ token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, stateDir: path.join(work, 'agent') });
    const before = (await t.hub.batches.list()).length;
    const out = await processDrive(bad, cfg, t.log);
    expect(out.kind).toBe('quarantined');
    if (out.kind !== 'quarantined') return;
    expect(out.reason).toMatch(/corrupt\.mcap/);
    expect(out.reason).toMatch(/BAD_MAGIC|magic/i);
    const q = JSON.parse(await readFile(path.join(work, 'agent', 'quarantine', 'corrupt.mcap.json'), 'utf8')) as { reason: string };
    expect(q.reason).toBe(out.reason);
    expect((await t.hub.batches.list()).length).toBe(before);
    // The outbox holds no half-packed batch.
    const outbox = await readdir(path.join(work, 'agent', 'outbox')).catch(() => []);
    expect(outbox).toEqual([]);

    const good = path.join(work, 'good.mcap');
    await writeDrive({ out: good, seed: 5, platform: 'J7', vin, durationS: 60, faults: [] });
    const ok = await processDrive(good, cfg, t.log, { waitForDiagnosisMs: 90_000 });
    expect(ok.kind).toBe('uploaded');
    if (ok.kind === 'uploaded') expect(ok.report?.status).toBe('healthy');
  });

  it('a malformed chunk frame on MQTT is rejected with a reason and nothing is stored', async () => {
    const c = await vehicleClient(t, vin);
    const rejected = nextMessage(c, vehicleTopic(vin, 'rejected'));
    await c.publishAsync(vehicleTopic(vin, 'chunks'), Buffer.from('garbage that is not a frame'), { qos: 1 });
    const r = UplinkRejection.parse(JSON.parse((await rejected).toString()));
    expect(r.code).toBe('BAD_FRAME');
    expect(r.kind).toBe('chunks');

    const rej2 = nextMessage(c, vehicleTopic(vin, 'rejected'));
    const head = Buffer.alloc(8);
    head.write('ARGC', 0, 'latin1');
    head.writeUInt32BE(9, 4);
    await c.publishAsync(vehicleTopic(vin, 'chunks'), Buffer.concat([head, Buffer.from('{"v":1,"x')]), { qos: 1 });
    expect(UplinkRejection.parse(JSON.parse((await rej2).toString())).code).toBe('BAD_FRAME');
    expect(await t.hub.metrics.render()).toMatch(/argus_ingest_rejections_total\{transport="mqtt",code="BAD_FRAME"\} 2/);
    await c.endAsync();
  });

  it('a chunk whose sha256 does not match its bytes is refused; nothing is stored', async () => {
    const c = await vehicleClient(t, vin);
    const batchId = randomUUID();
    const raw = Buffer.from('log_time_ns,publish_time_ns,sequence,cpu_temp_c\n1,1,0,60\n');
    const data = gzipSync(raw);
    const env = envelopeFor(batchId, data, raw, 'a'.repeat(64));
    const acked = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
    await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(env, data), { qos: 1 });
    const ack = ChunkAck.parse(JSON.parse((await acked).toString()));
    expect(ack.ok).toBe(false);
    expect(ack.error?.code).toBe('SHA256_MISMATCH');
    expect(await t.hub.batches.get(batchId)).toBeNull();
    expect(await t.hub.objects.list(`batches/${batchId}/`)).toEqual([]);

    // The same chunk with the right hash is stored, and a re-send is a duplicate.
    const good = envelopeFor(batchId, data, raw);
    const a1 = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
    await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(good, data), { qos: 1 });
    expect(ChunkAck.parse(JSON.parse((await a1).toString()))).toMatchObject({ ok: true, duplicate: false });
    const a2 = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
    await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(good, data), { qos: 1 });
    expect(ChunkAck.parse(JSON.parse((await a2).toString()))).toMatchObject({ ok: true, duplicate: true });
    expect(await t.hub.objects.list(`batches/${batchId}/`)).toHaveLength(1);
    await c.endAsync();
  });

  it.each([
    ['gzip' as const, 'TOO_LARGE'],
    ['zstd' as const, 'RAW_LENGTH_MISMATCH'],
  ])('a %s bomb is refused before it is stored', async (encoding, code) => {
    const hub = await startTestHub({ maxRawChunkBytes: 1024 * 1024 });
    try {
      const c = await vehicleClient(hub, vin);
      const raw = Buffer.alloc(64 * 1024 * 1024, 0x30);
      const data = encoding === 'gzip' ? gzipSync(raw) : zstdCompress(raw, { compressionLevel: 3 });
      const env = { ...envelopeFor(randomUUID(), data, Buffer.alloc(1000)), content_encoding: encoding };
      const acked = nextMessage(c, vehicleTopic(vin, 'chunk-ack'));
      await c.publishAsync(vehicleTopic(vin, 'chunks'), encodeChunkFrame(env, data), { qos: 1 });
      const ack = ChunkAck.parse(JSON.parse((await acked).toString()));
      expect(ack.error?.code).toBe(code);
      expect(await hub.hub.objects.list('batches/')).toEqual([]);
      expect(await hub.hub.metrics.render()).toMatch(new RegExp(`argus_ingest_rejections_total\\{transport="mqtt",code="${code}"\\} 1`));
      await c.endAsync();
    } finally {
      await hub.stop();
    }
  });

  it('zstd is held to its frame at ingest and decoded once at gather: a broken frame or a header that lies is refused; a corrupt body fails its batch at gather, naming the chunk', async () => {
    const c = await vehicleClient(t, vin);
    const send = (e: ChunkEnvelope, data: Buffer) => sendChunk(c, vin, e, data);

    // Structure broken (a truncated frame) and a header that says another size than the envelope: refused, nothing stored.
    const cut = tinyBatch(vin, 2000);
    const whole = zstdCompress(cut.csv, { compressionLevel: 1 });
    const truncated = whole.subarray(0, whole.length - 7);
    const a1 = await send(zstdEnvelope(cut, truncated), truncated);
    expect(a1.error?.code).toBe('BAD_CONTENT');
    expect(a1.error?.message).toMatch(/truncated zstd frame/);
    const a2 = await send(zstdEnvelope(cut, whole, cut.csv.length + 1), whole);
    expect(a2.error?.code).toBe('RAW_LENGTH_MISMATCH');
    expect(a2.error?.message).toMatch(new RegExp(`its zstd frame says ${cut.csv.length} bytes, envelope says ${cut.csv.length + 1}`));
    expect(await t.hub.objects.list(`batches/${cut.batchId}/`)).toEqual([]);

    // Header and block layout intact, the first block's body overwritten: stored (its sha256 is the vehicle's), then gather finds it.
    const b = tinyBatch(vin, 2000);
    const corrupt = Buffer.from(zstdCompress(b.csv, { compressionLevel: 1 }));
    corrupt.fill(0x5a, 40, 400);
    expect((await send(zstdEnvelope(b, corrupt), corrupt)).ok).toBe(true);
    await c.publishAsync(vehicleTopic(vin, 'manifest'), Buffer.from(JSON.stringify(b.manifest)), { qos: 1 });
    const rec = await batchWhenFailed(t, b.batchId);
    expect(rec?.state).toBe('failed');
    expect(rec?.reason).toMatch(new RegExp(`batch ${b.batchId} file t000 chunk 0 \\(.*\\.csv\\.zst\\): not valid zstd`));
    expect(rec?.retries).toBe(0); // the same bytes cannot decode on another attempt
    await c.endAsync();
  });

  it('a chunk damaged on the hub\'s disk after it was acknowledged fails its batch at gather, naming the chunk and the pack, without retries', async () => {
    const c = await vehicleClient(t, vin);
    const b = tinyBatch(vin, 3000);
    expect((await sendChunk(c, vin, b.envelope, b.data)).ok).toBe(true);
    // Bit rot in the pack that holds it (its gzip bytes are unique to this batch).
    const packs = path.join(t.cfg.dataDir, 'packs');
    let damaged = 0;
    for (const name of await readdir(packs)) {
      const bytes = await readFile(path.join(packs, name));
      const at = bytes.indexOf(b.data);
      if (at < 0) continue;
      bytes[at + 100] = (bytes[at + 100] as number) ^ 0x01;
      await writeFile(path.join(packs, name), bytes);
      damaged++;
    }
    expect(damaged).toBe(1);
    await c.publishAsync(vehicleTopic(vin, 'manifest'), Buffer.from(JSON.stringify(b.manifest)), { qos: 1 });
    const rec = await batchWhenFailed(t, b.batchId);
    expect(rec?.state).toBe('failed');
    expect(rec?.reason).toMatch(new RegExp(`batch ${b.batchId} file t000 chunk 0: object batches/${b.batchId}/files/t000/\\S+: pack \\S+ at byte \\d+ fails its CRC`));
    expect(rec?.retries).toBe(0);
    await c.endAsync();
  });

  it('zstd whose frame header does not give its size is decoded at ingest: stored when it holds raw_length, refused when it does not', async () => {
    const c = await vehicleClient(t, vin);
    const b = tinyBatch(vin, 2000);
    const unsized = zstdCompress(b.csv, { compressionLevel: 1, contentSizeFlag: false });
    const send = (rawLength: number) => sendChunk(c, vin, zstdEnvelope(b, unsized, rawLength), unsized);
    const short = await send(b.csv.length - 1);
    expect(short.error?.code).toBe('RAW_LENGTH_MISMATCH');
    expect(short.error?.message).toMatch(/inflates to more than/);
    expect(await t.hub.objects.list(`batches/${b.batchId}/`)).toEqual([]);
    expect(await send(b.csv.length)).toMatchObject({ ok: true, duplicate: false });
    expect(await t.hub.objects.list(`batches/${b.batchId}/`)).toHaveLength(1);
    await c.endAsync();
  });

  it('a wrong token is refused on MQTT and on HTTP', async () => {
    await expect(vehicleClient(t, vin, 'not-the-token')).rejects.toThrow(/Bad username or password|Not authorized|bad/i);
    const res = await fetch(`${t.hub.httpUrl}/api/v1/batches/${randomUUID()}/manifest`, {
      method: 'PUT', headers: { 'x-argus-vin': vin, authorization: 'Bearer nope', 'content-type': 'application/json' }, body: '{}',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a vehicle cannot publish on another vehicle\'s topic', async () => {
    const other = randomVin(Rng.derive(6, 'vin'), 'K1');
    const c = await vehicleClient(t, vin);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(vehicleTopic(other, 'manifest'), '{}', { qos: 1 });
    await closed; // MQTT 3.1.1 has no negative PUBACK: the broker drops the connection.
    c.end(true);
    expect((await t.hub.batches.list({ vin: other })).length).toBe(0);
  });

  it('an unknown batch id over HTTP is a 404 with a code; a malformed one a 400', async () => {
    const id = randomUUID();
    const headers = await userHeaders(t.hub);
    const r1 = await fetch(`${t.hub.httpUrl}/api/v1/batches/${id}/diagnosis`, { headers });
    expect(r1.status).toBe(404);
    expect(await r1.json()).toEqual({ code: 'BATCH_NOT_FOUND', message: `batch ${id} not found` });
    const r2 = await fetch(`${t.hub.httpUrl}/api/v1/batches/not-a-uuid`, { headers });
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { code: string }).code).toBe('BAD_PAYLOAD');
  });
});
