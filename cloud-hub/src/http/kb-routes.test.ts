import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@argus/shared';
import { openDatabase, type Database } from '../db/database.js';
import { HashingEmbedder } from '../embedding/hashing-embedder.js';
import { KnowledgeService } from '../retrieval/knowledge-service.js';
import { createKbRoutes } from './kb-routes.js';

// The KB CRUD sub-app through app.request(), on PGlite with the demo bundle.
describe('KB HTTP routes', () => {
  let db: Database;
  let dir: string;
  let app: ReturnType<typeof createKbRoutes>;
  let k: KnowledgeService;
  const log = createLogger('silent', {}, () => undefined);
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are checked field by field
  const j = async (r: Response | Promise<Response>): Promise<any> => (await r).json();
  const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-kbapi-'));
    db = await openDatabase({ dataDir: dir, log });
    k = new KnowledgeService(db.pool, new HashingEmbedder(), log);
    await k.ensureSeeded({ wait: true });
    app = createKbRoutes(k, log);
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists, reads, writes and deletes documents', async () => {
    expect((await j(app.request('/documents'))).documents.length).toBeGreaterThanOrEqual(5);
    const doc = { id: 'rb-radar-snow', kind: 'runbook', title: 'Radar and snow', platforms: ['T2'], fault_codes: ['0x8021'], cause_ids: ['0x8021-a'], body: 'Clear the snow off the radome before driving.' };
    expect((await app.request('/documents/rb-radar-snow', json('PUT', doc))).status).toBe(200);
    expect(await j(app.request('/documents/rb-radar-snow'))).toEqual(doc);
    await k.refresh({ wait: true });
    const s = await j(app.request('/search', json('POST', { text: 'snow on the radome', platform: 'T2', k: 3 })));
    expect(s.hits[0].passage.source_id).toBe('rb-radar-snow');
    expect(s.hits[0].why.length).toBeGreaterThan(0);
    const j7 = await j(app.request('/search', json('POST', { text: 'snow on the radome', platform: 'J7', k: 10 })));
    expect(j7.hits.map((h: { passage: { source_id: string } }) => h.passage.source_id)).not.toContain('rb-radar-snow');
    expect((await app.request('/documents/rb-radar-snow', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/documents/rb-radar-snow')).status).toBe(404);
  });

  it('refuses bad bodies with a stable code and names the field', async () => {
    const r = await app.request('/documents/x', json('PUT', { id: 'x', kind: 'memo', title: 't', body: 'b' }));
    expect(r.status).toBe(400);
    expect(await j(r)).toMatchObject({ code: 'BAD_KB', message: expect.stringContaining('kind') });
    const c = await app.request('/cases/c9', json('PUT', { id: 'c9', vin: 'V', platform: 'J7', fault_code: '0x8004', cause_id: '0x9001-a', summary: 's', confirmed_by: 'me' }));
    expect(await j(c)).toMatchObject({ code: 'BAD_KB', message: expect.stringContaining('not a cause of 0x8004') });
    expect((await app.request('/faults/0xFFFF')).status).toBe(404);
  });

  it('records confirmed cases and links; export round-trips through import', async () => {
    const kase = { id: 'case-9', vin: 'VIN9', platform: 'J7', firmware: { lidar_front: '3.1.4' }, fault_code: '0x8004', cause_id: '0x8004-a', summary: 'Cracked M12 ring.', confirmed_by: 'me' };
    expect((await app.request('/cases/case-9', json('PUT', kase))).status).toBe(200);
    expect((await app.request('/links', json('PUT', { from_code: '0x9001', to_code: '0xE001' }))).status).toBe(200);
    const bundle = await j(app.request('/export'));
    expect(bundle.cases.find((c: { id: string }) => c.id === 'case-9')).toMatchObject({ cause_id: '0x8004-a' });
    expect(bundle.links).toContainEqual({ from_code: '0x9001', to_code: '0xE001', relation: 'causes' });
    // Replacing the faults alone keeps the cause a case was confirmed with.
    expect((await app.request('/faults/0x8004', json('PUT', bundle.faults.find((f: { code: string }) => f.code === '0x8004')))).status).toBe(200);
    expect(await j(app.request('/cases/case-9'))).toMatchObject({ cause_id: '0x8004-a' });
    const r = await app.request('/import', json('POST', bundle));
    expect(r.status).toBe(201);
    expect(await j(r)).toMatchObject({ faults: 20, changed_passages: 0 });
  });
});
