import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API, apiPath, vehicleToken } from '@argus/shared';
import { loadHubConfig, startHub, type Hub } from '@argus/cloud-hub';
import { startTestHub, testLogger } from '../support/test-hub.js';
import { tinyBatch } from '../support/tiny-batch.js';

const VIN = 'LJ8E3C1M5PB000888';
const SECRET = 'resume-test-fleet-secret';

async function until(what: string, f: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The embedded default forgets queued jobs when the hub dies; a restarted hub
// re-enqueues every batch left between the barrier and the diagnosis.
describe('embedded hub restart', () => {
  let dir = '';
  const open: Hub[] = [];
  afterAll(async () => {
    for (const h of open) await h.close().catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('resumes a batch left in gathering and a batch left in gathered', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-resume-'));
    const cfg = loadHubConfig({}, { dataDir: path.join(dir, 'hub'), httpPort: 0, mqttPort: 0, vehicleSecret: SECRET });
    const first = await startHub(cfg, testLogger());
    open.push(first);
    const auth = { 'x-argus-vin': VIN, authorization: `Bearer ${vehicleToken(SECRET, VIN)}` };
    const batches = [tinyBatch(VIN), tinyBatch(VIN)];
    for (const b of batches) {
      await fetch(`${first.httpUrl}${apiPath(API.manifest, { batchId: b.batchId })}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(b.manifest) });
      const r = await fetch(`${first.httpUrl}${apiPath(API.chunk, { batchId: b.batchId, fileId: b.envelope.file_id, index: 0 })}`, {
        method: 'PUT', headers: { ...auth, 'x-argus-envelope': JSON.stringify(b.envelope) }, body: b.data,
      });
      expect(r.status).toBe(201);
    }
    for (const b of batches) await until('diagnosed', async () => (await first.batches.get(b.batchId))?.state === 'diagnosed');
    // As if the hub had died mid-stage: the state says a stage was running, no queue remembers it.
    const [g, d] = batches as [ReturnType<typeof tinyBatch>, ReturnType<typeof tinyBatch>];
    await first.db.pool.query("UPDATE batches SET state = 'gathering' WHERE batch_id = $1", [g.batchId]);
    await first.db.pool.query("UPDATE batches SET state = 'gathered' WHERE batch_id = $1", [d.batchId]);
    await first.close();
    open.pop();

    const second = await startHub(cfg, testLogger());
    open.push(second);
    for (const b of batches) await until('diagnosed again', async () => (await second.batches.get(b.batchId))?.state === 'diagnosed');
    const states = async (id: string) => (await second.batches.events(id)).map((e) => e.state);
    expect((await states(g.batchId)).slice(-4)).toEqual(['gathering', 'gathered', 'diagnosing', 'diagnosed']);
    expect((await states(d.batchId)).slice(-2)).toEqual(['diagnosing', 'diagnosed']);
    expect(await second.batches.inFlight()).toEqual([]);
  }, 180_000);
});

// A stage that fails is retried with backoff; each retry is counted on the
// batch, and the last failure leaves it `failed` with the reason.
describe('stage retries', () => {
  it('counts gather retries on the batch and fails it with the reason after the last attempt', async () => {
    const t = await startTestHub();
    try {
      const auth = { 'x-argus-vin': VIN, authorization: `Bearer ${vehicleToken(t.cfg.vehicleSecret, VIN)}` };
      const a = tinyBatch(VIN);
      const b = tinyBatch(VIN, 10, a.batchId);
      const second = { ...b.envelope, file_id: 't001' };
      const manifest = { ...a.manifest, files: [...a.manifest.files, { ...b.manifest.files[0]!, file_id: 't001' }] };
      const put = (e: typeof a.envelope, data: Buffer) => fetch(`${t.hub.httpUrl}${apiPath(API.chunk, { batchId: e.batch_id, fileId: e.file_id, index: e.chunk_index })}`, {
        method: 'PUT', headers: { ...auth, 'x-argus-envelope': JSON.stringify(e) }, body: data,
      });
      await fetch(`${t.hub.httpUrl}${apiPath(API.manifest, { batchId: a.batchId })}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(manifest) });
      expect((await put(a.envelope, a.data)).status).toBe(201);
      // The first chunk's object vanishes from the store (an outage of the store, say): gather cannot read it.
      const [lost] = await t.hub.batches.chunks(a.batchId);
      await t.hub.objects.delete(lost!.object_key);
      expect((await put(second, b.data)).status).toBe(201);
      await until('failed', async () => (await t.hub.batches.get(a.batchId))?.state === 'failed', 30_000);
      const rec = await t.hub.batches.get(a.batchId);
      expect(rec?.retries).toBe(2);
      expect(rec?.reason).toMatch(/t000/);
      const events = await t.hub.batches.events(a.batchId);
      expect(events.filter((e) => e.state === 'retry').map((e) => e.detail)).toEqual([{ stage: 'gather', attempt: 2 }, { stage: 'gather', attempt: 3 }]);
    } finally {
      await t.stop();
    }
  }, 60_000);
});
