/**
 * HTTP CRUD of the knowledge base, mounted under API.kb (/api/v1/kb):
 * faults, documents, cases, links, bundle import/export and a search that
 * shows what the supervisor's retrieval sees. Every write re-derives the
 * passages and re-embeds changed ones in the background, and records the
 * entity's stored state before and after on the context (KB_CHANGE) for the
 * audit log.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Logger } from '@argus/shared';
import { KbBundle, KbCase, KbDocument, KbLink } from '../kb/kb-documents.js';
import { KbFault } from '../kb/knowledge-base.js';
import { KbError } from '../kb/load-kb.js';
import type { KnowledgeService } from '../retrieval/knowledge-service.js';
import { bundleState, KB_CHANGE, storedFault, storedLink, type KbEnv } from './kb-change.js';

const SearchBody = z.object({
  text: z.string().min(1).max(4000),
  platform: z.string().min(1).optional(),
  firmware: z.record(z.string(), z.string()).default({}),
  codes: z.array(z.string()).optional(),
  mode: z.enum(['hybrid', 'vector', 'text']).default('hybrid'),
  k: z.number().int().min(1).max(50).default(8),
});

/** Error of the KB API with a stable code. */
class KbApiError extends Error {
  constructor(readonly code: 'BAD_KB' | 'KB_NOT_FOUND', message: string, readonly status: 400 | 404) {
    super(message);
  }
}

async function body<T>(schema: z.ZodType<T>, req: { json(): Promise<unknown> }, what: string): Promise<T> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new KbApiError('BAD_KB', `${what}: body is not JSON`, 400);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new KbApiError('BAD_KB', `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, 400);
  return r.data;
}

const notFound = (what: string): never => {
  throw new KbApiError('KB_NOT_FOUND', `${what} not found`, 404);
};

/** Records what a write changed (read by the KB guard, which audits it). */
const changed = (c: Context<KbEnv>, before: unknown, after: unknown) => c.set(KB_CHANGE, { before, after });

/** Builds the KB sub-app; `guard` (user auth) runs before every route when given. */
export function createKbRoutes(kb: KnowledgeService, log: Logger, guard?: MiddlewareHandler): Hono<KbEnv> {
  const app = new Hono<KbEnv>();
  app.onError((err, c) => {
    if (err instanceof KbApiError) return c.json({ code: err.code, message: err.message }, err.status);
    if (err instanceof KbError) return c.json({ code: err.code, message: err.message }, 400);
    log.error('kb api failed', { path: c.req.path, err: err.message });
    return c.json({ code: 'INTERNAL', message: 'internal error' }, 500);
  });
  if (guard) app.use('*', guard);
  const refresh = () => void kb.refresh().catch((err: Error) => log.warn('kb refresh failed', { err: err.message }));

  app.get('/', async (c) => {
    const b = await kb.exportBundle();
    return c.json({ faults: b.faults.length, documents: b.documents.length, cases: b.cases.length, links: b.links.length, embedder: kb.embedder.model });
  });
  app.get('/export', async (c) => c.json(await kb.exportBundle()));
  app.post('/import', async (c) => {
    const b = await body(KbBundle, c.req, 'kb import');
    const before = await bundleState(kb, b);
    const r = await kb.importBundle(b);
    changed(c, before, await bundleState(kb, b));
    return c.json(r, 201);
  });

  app.get('/faults', async (c) => c.json({ faults: (await kb.faults.load()).faults }));
  app.get('/faults/:code', async (c) => c.json((await kb.faults.load()).faults.find((f) => f.code === c.req.param('code')) ?? notFound(`fault ${c.req.param('code')}`)));
  app.put('/faults/:code', async (c) => {
    const f = await body(KbFault, c.req, `fault ${c.req.param('code')}`);
    if (f.code !== c.req.param('code')) throw new KbApiError('BAD_KB', `fault code ${f.code} does not match the URL`, 400);
    const before = await storedFault(kb, f.code);
    const r = await kb.importBundle({ faults: [f], documents: [], cases: [], links: [] });
    changed(c, before, await storedFault(kb, f.code));
    return c.json(r);
  });

  app.get('/documents', async (c) => c.json({ documents: await kb.docs.listDocuments() }));
  app.get('/documents/:id', async (c) => c.json((await kb.docs.getDocument(c.req.param('id'))) ?? notFound(`document ${c.req.param('id')}`)));
  app.put('/documents/:id', async (c) => {
    const d = await body(KbDocument, c.req, `document ${c.req.param('id')}`);
    if (d.id !== c.req.param('id')) throw new KbApiError('BAD_KB', `document id ${d.id} does not match the URL`, 400);
    const before = await kb.docs.getDocument(d.id);
    await kb.docs.putDocuments([d]);
    changed(c, before, await kb.docs.getDocument(d.id));
    refresh();
    return c.json(d);
  });
  app.delete('/documents/:id', async (c) => {
    const before = await kb.docs.getDocument(c.req.param('id'));
    if (!(await kb.docs.deleteDocument(c.req.param('id')))) notFound(`document ${c.req.param('id')}`);
    changed(c, before, null);
    refresh();
    return c.body(null, 204);
  });

  app.get('/cases', async (c) => c.json({ cases: await kb.docs.listCases() }));
  app.get('/cases/:id', async (c) => c.json((await kb.docs.getCase(c.req.param('id'))) ?? notFound(`case ${c.req.param('id')}`)));
  app.put('/cases/:id', async (c) => {
    const k = await body(KbCase, c.req, `case ${c.req.param('id')}`);
    if (k.id !== c.req.param('id')) throw new KbApiError('BAD_KB', `case id ${k.id} does not match the URL`, 400);
    const known = (await kb.faults.load()).faults.find((f) => f.code === k.fault_code);
    if (!known) throw new KbApiError('BAD_KB', `case ${k.id}: fault ${k.fault_code} is not in the knowledge base`, 400);
    if (k.cause_id && !known.causes.some((x) => x.id === k.cause_id)) throw new KbApiError('BAD_KB', `case ${k.id}: cause ${k.cause_id} is not a cause of ${k.fault_code}`, 400);
    const before = await kb.docs.getCase(k.id);
    await kb.docs.putCases([k]);
    changed(c, before, await kb.docs.getCase(k.id));
    refresh();
    return c.json(k);
  });
  app.delete('/cases/:id', async (c) => {
    const before = await kb.docs.getCase(c.req.param('id'));
    if (!(await kb.docs.deleteCase(c.req.param('id')))) notFound(`case ${c.req.param('id')}`);
    changed(c, before, null);
    refresh();
    return c.body(null, 204);
  });

  app.get('/links', async (c) => c.json({ links: await kb.docs.listLinks() }));
  app.put('/links', async (c) => {
    const l = await body(KbLink, c.req, 'link');
    const before = await storedLink(kb, l);
    await kb.docs.putLinks([l]);
    changed(c, before, await storedLink(kb, l));
    return c.json(l);
  });
  app.delete('/links', async (c) => {
    const l = await body(KbLink, c.req, 'link');
    const before = await storedLink(kb, l);
    if (!(await kb.docs.deleteLink(l))) notFound('link');
    changed(c, before, null);
    return c.body(null, 204);
  });

  app.post('/search', async (c) => {
    const q = await body(SearchBody, c.req, 'kb search');
    const hits = await kb.retriever.search({
      text: q.text, mode: q.mode, k: q.k, ...(q.codes ? { codes: q.codes } : {}),
      ...(q.platform ? { vehicle: { platform: q.platform, firmware: q.firmware } } : {}),
    });
    return c.json({ hits });
  });
  return app;
}
