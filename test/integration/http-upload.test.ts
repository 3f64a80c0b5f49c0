import { createHash } from 'node:crypto';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compress as zstdCompress } from 'zstd-napi';
import { API, apiPath, vehicleToken, type ChunkEnvelope } from '@argus/shared';
import { randomVin, Rng } from '@argus/sim';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { tinyBatch } from '../support/tiny-batch.js';

describe('HTTP chunk upload streams: checked while it arrives, never buffered beyond the chunk', () => {
  let t: TestHub;
  const vin = randomVin(Rng.derive(33, 'http-vin'), 'T2');
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await startTestHub();
    headers = { 'x-argus-vin': vin, authorization: `Bearer ${vehicleToken(t.cfg.vehicleSecret, vin)}` };
  });
  afterAll(async () => t?.stop());

  const url = (e: ChunkEnvelope) => `${t.hub.httpUrl}${apiPath(API.chunk, { batchId: e.batch_id, fileId: e.file_id, index: e.chunk_index })}`;
  const put = (e: ChunkEnvelope, body: Uint8Array) => fetch(url(e), { method: 'PUT', headers: { ...headers, 'x-argus-envelope': JSON.stringify(e) }, body });

  it('stores a chunk once; a re-send is a duplicate (idempotent by chunk id + sha256)', async () => {
    const b = tinyBatch(vin);
    const r1 = await put(b.envelope, b.data);
    expect(r1.status).toBe(201);
    expect(await r1.json()).toMatchObject({ ok: true, duplicate: false });
    const r2 = await put(b.envelope, b.data);
    expect(r2.status).toBe(200);
    expect(await r2.json()).toMatchObject({ ok: true, duplicate: true });
    expect(await t.hub.objects.list(`batches/${b.batchId}/`)).toHaveLength(1);
  });

  it('refuses a wrong sha256 (422) and an inflation that lies about its size; nothing stored', async () => {
    const b = tinyBatch(vin);
    const r = await put({ ...b.envelope, sha256: 'c'.repeat(64) }, b.data);
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ code: 'SHA256_MISMATCH' });
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const e: ChunkEnvelope = { ...b.envelope, byte_length: bomb.length, sha256: createHash('sha256').update(bomb).digest('hex'), raw_length: 1000 };
    const r2 = await put(e, bomb);
    expect(r2.status).toBe(422);
    expect(await r2.json()).toMatchObject({ code: 'RAW_LENGTH_MISMATCH' });
    expect(await t.hub.batches.get(b.batchId)).toBeNull();
    expect(await t.hub.objects.list(`batches/${b.batchId}/`)).toEqual([]);
    expect(await t.hub.metrics.render()).toMatch(/argus_ingest_rejections_total\{transport="http",code="SHA256_MISMATCH"\} 1/);
  });

  it('takes a zstd chunk, and refuses a zstd body that inflates beyond its raw_length; nothing stored', async () => {
    const b = tinyBatch(vin);
    const raw = b.csv;
    const z = zstdCompress(raw, { compressionLevel: 1 });
    const ze: ChunkEnvelope = { ...b.envelope, content_encoding: 'zstd', byte_length: z.length, sha256: createHash('sha256').update(z).digest('hex') };
    const ok = await put(ze, z);
    expect(ok.status).toBe(201);
    const keys = await t.hub.objects.list(`batches/${b.batchId}/`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/\.csv\.zst$/);
    const other = tinyBatch(vin);
    const bomb = zstdCompress(Buffer.alloc(32 * 1024 * 1024), { compressionLevel: 3 });
    const be: ChunkEnvelope = { ...other.envelope, content_encoding: 'zstd', byte_length: bomb.length, sha256: createHash('sha256').update(bomb).digest('hex'), raw_length: 1000 };
    const r = await put(be, bomb);
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ code: 'RAW_LENGTH_MISMATCH' });
    expect(await t.hub.objects.list(`batches/${other.batchId}/`)).toEqual([]);
  });

  it('a declared oversize body gets 413 at once', async () => {
    const b = tinyBatch(vin);
    const r = await put(b.envelope, Buffer.concat([b.data, Buffer.alloc(1000)]));
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ code: 'TOO_LARGE' });
  });

  it('a chunked body that runs past its byte_length gets 413 without the hub reading the rest', async () => {
    const b = tinyBatch(vin);
    const total = 256 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 0x41);
    const { status, body, written } = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
      const req = http.request(url(b.envelope), { method: 'PUT', headers: { ...headers, 'x-argus-envelope': JSON.stringify(b.envelope), 'transfer-encoding': 'chunked' } });
      let written = 0;
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, written }));
        res.on('error', reject);
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      const pump = () => {
        while (!answered && written < total) {
          written += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ code: 'TOO_LARGE' });
    // The client got the answer long before it could send its 256 MiB (socket buffers allow a few MiB).
    expect(written).toBeLessThan(64 * 1024 * 1024);
    expect(await t.hub.objects.list(`batches/${b.batchId}/`)).toEqual([]);
  });
  it('refuses a manifest that lies about its chunk count, and chunks that contradict the manifest (409); nothing half-stored', async () => {
    const putManifest = (m: unknown, batchId: string) => fetch(`${t.hub.httpUrl}${apiPath(API.manifest, { batchId })}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(m) });
    // Manifest first, then a chunk that claims more chunks than the manifest lists.
    const a = tinyBatch(vin);
    expect((await putManifest(a.manifest, a.batchId)).status).toBeLessThan(300);
    const beyond = await put({ ...a.envelope, chunk_index: 1, chunk_count: 2 }, a.data);
    expect(beyond.status).toBe(409);
    expect(await beyond.json()).toMatchObject({ code: 'MANIFEST_MISMATCH' });
    const foreignFile = await put({ ...a.envelope, file_id: 't007' }, a.data);
    expect(foreignFile.status).toBe(409);
    expect(await t.hub.objects.list(`batches/${a.batchId}/files/`)).toEqual([]);
    expect((await t.hub.batches.get(a.batchId))?.state).toBe('uploading');
    // The honest chunk still completes the batch.
    expect((await put(a.envelope, a.data)).status).toBe(201);
    expect((await t.hub.batches.get(a.batchId))?.chunks_stored).toBe(1);

    // Chunks first (two of them), then a manifest that says the file has one chunk.
    const b = tinyBatch(vin);
    const second = { ...b.envelope, chunk_index: 1, chunk_count: 2 };
    expect((await put({ ...b.envelope, chunk_count: 2 }, b.data)).status).toBe(201);
    expect((await put(second, b.data)).status).toBe(201);
    const lie = await putManifest(b.manifest, b.batchId);
    expect(lie.status).toBe(409);
    const body = (await lie.json()) as { code: string; message: string };
    expect(body.code).toBe('MANIFEST_MISMATCH');
    expect(body.message).toMatch(/t000\/1 is stored but the manifest gives file t000 only 1 chunks/);
    const after = await t.hub.batches.get(b.batchId);
    expect(after?.manifest).toBeNull();
    expect(after?.state).toBe('pending');
    expect(await t.hub.objects.list(`batches/${b.batchId}/manifest`)).toEqual([]);
    expect(await t.hub.metrics.render()).toMatch(/argus_ingest_rejections_total\{transport="http",code="MANIFEST_MISMATCH"\} 3/);
  });
});
