import { Hono } from 'hono';
import type pg from 'pg';
import { BatchId } from '@argus/shared';
import type { Access } from '../auth/access.js';
import { ApiFailure } from '../auth/api-failure.js';
import { requireRole } from '../auth/auth.hook.js';
import type { AuthEnv } from '../auth/roles.js';
import type { OtaStore } from '../ota/ota-store.js';
import type { CachedBatchReads } from '../read-cache/cached-batch-reads.js';
import type { BatchStore } from '../store/batch-store.js';
import { DASHBOARD_SQL as SQL } from './dashboard-queries.js';
import { opt, paging } from './paging.js';

/** Dashboard read routes, defined once. */
export const DASHBOARD_API = {
  summary: '/api/v1/fleet/summary',
  vehicles: '/api/v1/fleet/vehicles',
  drives: '/api/v1/drives',
  drive: '/api/v1/drives/:batchId',
  faults: '/api/v1/analytics/faults',
  cohorts: '/api/v1/analytics/cohorts',
} as const;

const BUCKETS = new Set(['hour', 'day', 'week']);
const STATES = new Set(['pending', 'uploading', 'uploaded', 'gathering', 'gathered', 'diagnosing', 'diagnosed', 'failed']);

/** What the dashboard reads need. */
export interface DashboardDeps {
  access: Access;
  pool: pg.Pool;
  reads: CachedBatchReads;
  batches: Pick<BatchStore, 'events'>;
  ota: Pick<OtaStore, 'list'>;
}

/** Fleet overview, drives (paginated), one drive in full, fleet analytics. Viewer and up. */
export function dashboardRoutes(d: DashboardDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use('/api/v1/fleet/*', requireRole(d.access, 'viewer'));
  app.use('/api/v1/drives', requireRole(d.access, 'viewer'));
  app.use('/api/v1/drives/*', requireRole(d.access, 'viewer'));
  app.use('/api/v1/analytics/*', requireRole(d.access, 'viewer'));

  app.get(DASHBOARD_API.summary, async (c) => c.json((await d.pool.query(SQL.summary)).rows[0]));

  app.get(DASHBOARD_API.vehicles, async (c) => {
    const q = c.req.query();
    const { limit, offset } = paging(q);
    const r = await d.pool.query<{ total: number }>(SQL.vehicles, [opt(q, 'q'), opt(q, 'platform'), opt(q, 'health'), limit, offset]);
    return c.json({ vehicles: r.rows.map(({ total: _, ...v }) => v), total: r.rows[0]?.total ?? 0, limit, offset });
  });

  app.get(DASHBOARD_API.drives, async (c) => {
    const q = c.req.query();
    const { limit, offset } = paging(q);
    const state = opt(q, 'state');
    if (state && !STATES.has(state)) throw new ApiFailure('BAD_REQUEST', `unknown state ${state}`);
    const r = await d.pool.query<{ total: number }>(SQL.drives, [opt(q, 'q'), state, opt(q, 'status'), opt(q, 'code'), limit, offset]);
    return c.json({ drives: r.rows.map(({ total: _, ...x }) => x), total: r.rows[0]?.total ?? 0, limit, offset });
  });

  app.get(DASHBOARD_API.drive, async (c) => {
    const parsed = BatchId.safeParse(c.req.param('batchId'));
    if (!parsed.success) throw new ApiFailure('BAD_REQUEST', 'batch id is not a uuid');
    const id = parsed.data;
    const batch = await d.reads.get(id);
    if (!batch) throw new ApiFailure('NOT_FOUND', `batch ${id} not found`);
    const [report, events, features, files, recs] = await Promise.all([
      d.reads.getReport(id),
      d.batches.events(id),
      d.pool.query(SQL.features, [id]),
      d.pool.query(SQL.files, [id]),
      d.ota.list({ batchId: id, limit: 50, offset: 0 }),
    ]);
    const { manifest, ...rest } = batch;
    const declared = new Map((manifest?.files ?? []).map((f) => [f.file_id, f]));
    return c.json({
      batch: rest,
      vehicle: manifest?.vehicle ?? null,
      report,
      events,
      drive: features.rows[0]?.drive ?? null,
      series: features.rows[0]?.series ?? {},
      files: files.rows.map((f: Record<string, unknown>) => ({ ...f, declared: declared.get(String(f['file_id'])) ?? null })),
      recommendations: recs.rows,
    });
  });

  app.get(DASHBOARD_API.faults, async (c) => {
    const q = c.req.query();
    const bucket = opt(q, 'bucket') ?? 'day';
    if (!BUCKETS.has(bucket)) throw new ApiFailure('BAD_REQUEST', `bucket must be hour, day or week`);
    const days = Math.min(3650, Math.max(1, Number(q['days'] ?? 90) || 90));
    const since = new Date(Date.now() - days * 86400_000);
    return c.json({ bucket, since: since.toISOString(), rows: (await d.pool.query(SQL.faultsOverTime, [bucket, since])).rows });
  });

  app.get(DASHBOARD_API.cohorts, async (c) => c.json({ cohorts: (await d.pool.query(SQL.cohorts)).rows }));

  return app;
}
