import { Hono } from 'hono';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { ApiFailure } from '../auth/api-failure.js';
import { requireRole } from '../auth/auth.hook.js';
import { jsonBody } from '../auth/json-body.js';
import type { AuthEnv } from '../auth/roles.js';
import type { KnowledgeStore } from '../store/knowledge-store.js';
import { fleetImpact, impactCsv } from './fleet-impact.js';
import { OtaRuleInput } from './ota-rule.js';
import type { OtaService } from './ota-service.js';
import type { OtaStore } from './ota-store.js';

/** OTA routes, defined once. */
export const OTA_API = {
  rules: '/api/v1/ota/rules',
  rule: '/api/v1/ota/rules/:ruleId',
  recommendations: '/api/v1/ota/recommendations',
  recommendation: '/api/v1/ota/recommendations/:id',
  approve: '/api/v1/ota/recommendations/:id/approve',
  reject: '/api/v1/ota/recommendations/:id/reject',
  impact: '/api/v1/ota/impact',
} as const;

const Decision = z.object({ comment: z.string().max(2000).default('') });
const RULE_ID = /^[A-Za-z0-9:._-]{1,64}$/;

/** Rules (OTA engineers edit), recommendations (OTA engineers decide), fleet impact (viewers read). */
export function otaRoutes(d: { access: Access; ota: OtaService; store: OtaStore; knowledge: KnowledgeStore }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const viewer = requireRole(d.access, 'viewer');
  const engineer = requireRole(d.access, 'ota');

  app.get(OTA_API.rules, viewer, async (c) => c.json({ rules: await d.store.rules() }));
  app.put(OTA_API.rule, engineer, async (c) => {
    const id = c.req.param('ruleId');
    if (!RULE_ID.test(id)) throw new ApiFailure('BAD_REQUEST', `bad rule id ${JSON.stringify(id)}`);
    return c.json(await d.ota.putRule(id, await jsonBody(c, OtaRuleInput), c.var.user.username));
  });
  app.delete(OTA_API.rule, engineer, async (c) => {
    await d.ota.deleteRule(c.req.param('ruleId'), c.var.user.username);
    return c.json({ ok: true });
  });

  app.get(OTA_API.recommendations, viewer, async (c) => {
    const q = c.req.query();
    const status = q['status'];
    if (status !== undefined && !['pending', 'approved', 'rejected'].includes(status)) throw new ApiFailure('BAD_REQUEST', `bad status ${status}`);
    const batchId = q['batch_id'];
    if (batchId !== undefined && !z.uuid().safeParse(batchId).success) throw new ApiFailure('BAD_REQUEST', 'batch_id is not a uuid');
    const limit = Math.min(200, Math.max(1, Number(q['limit'] ?? 50) || 50));
    const offset = Math.max(0, Number(q['offset'] ?? 0) || 0);
    const r = await d.store.list({ ...(status ? { status } : {}), ...(q['vin'] ? { vin: q['vin'] } : {}), ...(batchId ? { batchId } : {}), limit, offset });
    return c.json({ recommendations: r.rows, total: r.total, limit, offset });
  });
  app.get(OTA_API.recommendation, viewer, async (c) => {
    const r = await d.store.get(c.req.param('id'));
    if (!r) throw new ApiFailure('NOT_FOUND', `recommendation ${c.req.param('id')} not found`);
    return c.json(r);
  });
  app.post(OTA_API.approve, engineer, async (c) => {
    const b = await jsonBody(c, Decision);
    return c.json(await d.ota.decide(c.req.param('id'), 'approved', c.var.user.username, b.comment));
  });
  app.post(OTA_API.reject, engineer, async (c) => {
    const b = await jsonBody(c, Decision);
    return c.json(await d.ota.decide(c.req.param('id'), 'rejected', c.var.user.username, b.comment));
  });

  // For a cause (its component, range and platforms from the KB) or an explicit component + range.
  app.get(OTA_API.impact, viewer, async (c) => {
    const q = c.req.query();
    let query: { component: string; range: string; platforms?: string[] };
    if (q['cause_id']) {
      const kb = await d.knowledge.load();
      const cause = kb.faults.flatMap((f) => f.causes).find((x) => x.id === q['cause_id']);
      if (!cause) throw new ApiFailure('NOT_FOUND', `cause ${q['cause_id']} not found`);
      query = { component: cause.firmware_component, range: q['range'] ?? cause.affected_versions, platforms: cause.platforms };
    } else if (q['component'] && q['range']) {
      query = { component: q['component'], range: q['range'], ...(q['platforms'] ? { platforms: q['platforms'].split(',') } : {}) };
    } else {
      throw new ApiFailure('BAD_REQUEST', 'give cause_id, or component and range');
    }
    const rows = fleetImpact(await d.store.vehicles(), query);
    if (q['format'] === 'csv') {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', 'attachment; filename="fleet-impact.csv"');
      return c.body(impactCsv(rows));
    }
    return c.json({ query, vehicles: rows, count: rows.length });
  });

  return app;
}
