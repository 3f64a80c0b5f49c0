import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, createLogger } from '@argus/shared';
import { Access } from '../auth/access.js';
import { PgUserStore } from '../auth/pg-user-store.js';
import type { AuditEntry } from '../auth/user-store.js';
import { openDatabase, type Database } from '../db/database.js';
import { HashingEmbedder } from '../embedding/hashing-embedder.js';
import { createKbRoutes } from '../http/kb-routes.js';
import { KnowledgeService } from '../retrieval/knowledge-service.js';
import { auditValue, kbGuard, MAX_AUDIT_VALUE } from './kb-guard.js';

// The KB routes behind the guard, mounted under /api/v1/kb as the hub does, on
// PGlite with real users and tokens: every change is audited with the stored
// state before and after; refused and failed writes are not.
describe('KB guard audit log', () => {
  let db: Database;
  let dir: string;
  let k: KnowledgeService;
  let access: Access;
  let app: Hono;
  const auth: Record<'viewer' | 'ota', Record<string, string>> = { viewer: {}, ota: {} };
  const log = createLogger('silent', {}, () => undefined);
  const send = (method: string, p: string, role: 'viewer' | 'ota', body?: unknown) => app.request(`${API.kb}${p}`, {
    method, headers: { ...auth[role], 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  /** Audit entries written since `mark` (ids grow), oldest first. */
  const since = async (mark: string): Promise<AuditEntry[]> =>
    (await access.users.auditLog({ limit: 100 })).filter((e) => BigInt(e.id) > BigInt(mark)).reverse();
  const mark = async (): Promise<string> => (await access.users.auditLog({ limit: 1 }))[0]?.id ?? '0';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-kbguard-'));
    db = await openDatabase({ dataDir: dir, log });
    k = new KnowledgeService(db.pool, new HashingEmbedder(), log);
    await k.ensureSeeded({ wait: true });
    access = new Access(new PgUserStore(db.pool), log);
    for (const role of ['viewer', 'ota'] as const) {
      const u = await access.createUser(`${role}-${randomUUID().slice(0, 8)}`, role, randomUUID());
      auth[role] = { authorization: `Bearer ${(await access.issueToken(u!.user_id, 't')).token}` };
    }
    app = new Hono();
    app.route(API.kb, createKbRoutes(k, log, kbGuard(access)));
  }, 300_000);
  afterAll(async () => {
    await k?.refresh({ wait: true }); // let background embedding finish before the database closes
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a fault edit records the stored fault before and after, with who and when', async () => {
    const m = await mark();
    const before = (await (await send('GET', '/faults/0xA001', 'viewer')).json()) as { name: string; causes: { id: string }[] };
    const res = await send('PUT', '/faults/0xA001', 'ota', { ...before, name: 'CPU_THERMAL_THROTTLE_V2' });
    expect(res.status).toBe(200);
    const [e, ...rest] = await since(m);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ action: 'kb.put', target: 'kb:faults/0xA001', actor: expect.stringMatching(/^ota-/) });
    expect(Date.parse(e!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(e!.detail).toEqual({ before, after: { ...before, name: 'CPU_THERMAL_THROTTLE_V2' } });
    expect(before.causes.length).toBeGreaterThan(0); // the whole stored entity, causes included
  });

  it('documents and links: created (before null), replaced, deleted (after null)', async () => {
    const m = await mark();
    const doc = { id: 'rb-guard', kind: 'runbook', title: 'Guard test', platforms: ['T2'], fault_codes: ['0xA001'], cause_ids: [], body: 'first' };
    expect((await send('PUT', '/documents/rb-guard', 'ota', doc)).status).toBe(200);
    expect((await send('PUT', '/documents/rb-guard', 'ota', { ...doc, body: 'second' })).status).toBe(200);
    expect((await send('DELETE', '/documents/rb-guard', 'ota')).status).toBe(204);
    const link = { from_code: '0xA001', to_code: '0xE001', relation: 'causes' };
    expect((await send('PUT', '/links', 'ota', link)).status).toBe(200);
    expect((await send('DELETE', '/links', 'ota', link)).status).toBe(204);
    expect((await since(m)).map((e) => [e.action, e.target, e.detail])).toEqual([
      ['kb.put', 'kb:documents/rb-guard', { before: null, after: doc }],
      ['kb.put', 'kb:documents/rb-guard', { before: doc, after: { ...doc, body: 'second' } }],
      ['kb.delete', 'kb:documents/rb-guard', { before: { ...doc, body: 'second' }, after: null }],
      ['kb.put', 'kb:links', { before: null, after: link }],
      ['kb.delete', 'kb:links', { before: link, after: null }],
    ]);
  });

  it('an import records every entity it names, before and after', async () => {
    const m = await mark();
    const fault = (await (await send('GET', '/faults/0x8004', 'viewer')).json()) as { name: string };
    const doc = { id: 'rb-import', kind: 'runbook', title: 'Imported', platforms: [], fault_codes: [], cause_ids: [], body: 'b' };
    const res = await send('POST', '/import', 'ota', { faults: [{ ...fault, name: 'LIDAR_RENAMED' }], documents: [doc], cases: [], links: [] });
    expect(res.status).toBe(201);
    const [e] = await since(m);
    expect(e).toMatchObject({ action: 'kb.post', target: 'kb:import' });
    expect(e!.detail).toEqual({
      before: { 'fault:0x8004': fault, 'document:rb-import': null },
      after: { 'fault:0x8004': { ...fault, name: 'LIDAR_RENAMED' }, 'document:rb-import': doc },
    });
  });

  it('refused and failed writes, and searches, are not audited', async () => {
    const m = await mark();
    expect((await send('PUT', '/documents/x', 'viewer', { id: 'x', kind: 'runbook', title: 't', body: 'b' })).status).toBe(403);
    expect((await send('DELETE', '/documents/never-was', 'ota')).status).toBe(404);
    expect((await send('PUT', '/documents/x', 'ota', { id: 'x', kind: 'memo', title: 't', body: 'b' })).status).toBe(400);
    expect((await send('POST', '/search', 'viewer', { text: 'fan curve' })).status).toBe(200);
    expect(await since(m)).toEqual([]);
  });

  it('keeps oversized values out of the log, naming their keys', () => {
    const big = { 'fault:1': 'x'.repeat(MAX_AUDIT_VALUE), 'fault:2': null };
    expect(auditValue(big)).toEqual({ truncated: true, json_chars: JSON.stringify(big).length, keys: ['fault:1', 'fault:2'] });
    expect(auditValue({ a: 1 })).toEqual({ a: 1 });
    expect(auditValue(undefined)).toBeNull();
  });
});
