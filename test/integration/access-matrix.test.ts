import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vehicleToken } from '@argus/shared';
import { randomVin, Rng } from '@argus/sim';
import { ROUTES, type RouteAccess, type RouteSpec } from '../../cloud-hub/src/dashboard/route-table.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { userToken } from '../support/user-auth.js';

// Every route × every kind of caller → the expected status class. Walks the
// route table the OpenAPI description is generated from, so a new route is covered.
type Caller = 'none' | 'bad-token' | 'vehicle' | 'vehicle-token-only' | 'viewer' | 'ota' | 'admin';
const CALLERS: Caller[] = ['none', 'bad-token', 'vehicle', 'vehicle-token-only', 'viewer', 'ota', 'admin'];
const RANK = { viewer: 0, ota: 1, admin: 2 } as const;

/** Expected status for a caller on a route: a number, or 'ok' (anything but 401/403). */
function expected(access: RouteAccess, caller: Caller): 401 | 403 | 'ok' {
  if (access === 'public') return 'ok';
  if (access === 'vehicle') return caller === 'vehicle' ? 'ok' : 401;
  if (caller === 'none' || caller === 'bad-token' || caller === 'vehicle-token-only') return 401;
  if (caller === 'vehicle') return 403;
  return RANK[caller] >= RANK[access] ? 'ok' : 403;
}

/**
 * Routes the app serves that are deliberately not in the route table (so not
 * in the access matrix or OpenAPI), each with the reason.
 */
const UNLISTED: Record<string, string> = {
  'GET /': 'redirect to the browser app',
  'GET /app': 'redirect to /app/',
  'GET /app/': 'the browser app\'s index.html (public static file; its data comes from listed API routes)',
  'GET /app/*': 'the browser app\'s JS/CSS and vendored uPlot (public static files)',
};

/**
 * `METHOD path` of every route a Hono app registers. `use()` middleware is
 * registered under ALL: an ALL entry on a wildcard path, or on a path that
 * also has a method route, is middleware; any other ALL entry is a route.
 * A guard and its handler on the same method and path count once.
 */
function registeredRoutes(routes: readonly { method: string; path: string }[]): Set<string> {
  const concrete = new Set(routes.filter((r) => r.method !== 'ALL').map((r) => r.path));
  return new Set(routes.filter((r) => r.method !== 'ALL' || !(r.path.endsWith('*') || concrete.has(r.path))).map((r) => `${r.method} ${r.path}`));
}

const ADMIN_PASSWORD = 'matrix-admin-password';
const VIN = randomVin(Rng.derive(77, 'vin'), 'T2');
const PARAMS: Record<string, string> = { vin: VIN, batchId: randomUUID(), fileId: 'f0', index: '0', tokenId: '999999', ruleId: 'matrix-rule', id: 'rec-none', code: '0xFFFF' };

describe('access matrix: every route × every caller', () => {
  let t: TestHub;
  const vin = VIN;
  const headers: Record<Caller, Record<string, string>> = {} as never;
  beforeAll(async () => {
    t = await startTestHub({ adminPassword: ADMIN_PASSWORD });
    const vtok = vehicleToken(t.cfg.vehicleSecret, vin);
    headers.none = {};
    headers['bad-token'] = { authorization: 'Bearer argus_u_notarealtoken' };
    headers.vehicle = { 'x-argus-vin': vin, authorization: `Bearer ${vtok}` };
    headers['vehicle-token-only'] = { authorization: `Bearer ${vtok}` };
    for (const r of ['viewer', 'ota', 'admin'] as const) headers[r] = { authorization: `Bearer ${await userToken(t.hub, r)}` };
  });
  afterAll(async () => t?.stop());

  async function call(r: RouteSpec, caller: Caller): Promise<number> {
    const url = t.hub.httpUrl + r.path.replace(/:([A-Za-z]+)/g, (_, k: string) => PARAMS[k] ?? 'x');
    const res = await fetch(url, {
      method: r.method,
      headers: { ...headers[caller], ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { 'content-type': 'application/json' }) },
      ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: '{}' }),
    });
    await res.body?.cancel(); // SSE streams stay open otherwise
    return res.status;
  }

  it('answers every route as the table says', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const r of ROUTES) {
      for (const caller of CALLERS) {
        const want = expected(r.access, caller);
        const got = await call(r, caller);
        checked++;
        const ok = want === 'ok' ? got !== 401 && got !== 403 && got < 500 : got === want;
        if (!ok) wrong.push(`${r.method} ${r.path} as ${caller}: got ${got}, want ${want}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(ROUTES.length * CALLERS.length);
  });

  it('refuses a user token as MQTT vehicle credentials', async () => {
    const tok = headers.admin.authorization!.replace('Bearer ', '');
    const c = mqtt.connect(t.hub.mqttUrl, { username: vin, password: tok, reconnectPeriod: 0, connectTimeout: 10_000 });
    const err = await new Promise<Error | null>((resolve) => {
      c.once('connect', () => resolve(null));
      c.once('error', (e) => resolve(e));
    });
    c.end(true);
    expect(err?.message).toMatch(/Bad username or password|Not authorized/i);
  });

  it('sessions: HttpOnly SameSite=Strict cookie; state changes need the CSRF token and a same origin', async () => {
    const bad = await fetch(`${t.hub.httpUrl}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'wrong-password' }) });
    expect(bad.status).toBe(401);
    const res = await fetch(`${t.hub.httpUrl}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('argus_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const { csrf } = (await res.json()) as { csrf: string };
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    const me = await fetch(`${t.hub.httpUrl}/api/v1/auth/me`, { headers: { cookie } });
    expect(((await me.json()) as { user: { role: string } }).user.role).toBe('admin');
    const post = (h: Record<string, string>) => fetch(`${t.hub.httpUrl}/api/v1/auth/tokens`, { method: 'POST', headers: { cookie, ...h }, body: JSON.stringify({ name: 'x' }) });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': csrf, origin: 'http://evil.example' })).status).toBe(403);
    const made = await post({ 'x-csrf-token': csrf, origin: t.hub.httpUrl });
    expect(made.status).toBe(201);
    // The issued token works, and is stored only as a hash.
    const { token } = (await made.json()) as { token: string };
    expect((await fetch(`${t.hub.httpUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const stored = await t.hub.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens WHERE token_hash = $1', [token]);
    expect(stored.rows[0]?.n).toBe(0);
    const hashes = await t.hub.db.pool.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'admin'");
    expect(hashes.rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(hashes.rows[0]?.password_hash).not.toContain(ADMIN_PASSWORD);
    // Logout ends the session.
    expect((await fetch(`${t.hub.httpUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } })).status).toBe(200);
    expect((await fetch(`${t.hub.httpUrl}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('a KB edit by an OTA engineer is applied and audited (who, when, what)', async () => {
    const url = `${t.hub.httpUrl}/api/v1/kb/faults/0xA001`;
    const fault = (await (await fetch(url, { headers: headers.viewer })).json()) as { name: string };
    expect(fault.name).not.toBe('CPU_THERMAL_THROTTLE_EDITED');
    const edited = { ...fault, name: 'CPU_THERMAL_THROTTLE_EDITED' };
    const put = await fetch(url, { method: 'PUT', headers: { ...headers.ota, 'content-type': 'application/json' }, body: JSON.stringify(edited) });
    expect(put.status).toBe(200);
    expect(((await (await fetch(url, { headers: headers.viewer })).json()) as { name: string }).name).toBe('CPU_THERMAL_THROTTLE_EDITED');
    const audit = (await (await fetch(`${t.hub.httpUrl}/api/v1/audit`, { headers: headers.admin })).json()) as { entries: { actor: string; action: string; target: string; at: string; detail: unknown }[] };
    const e = audit.entries.find((x) => x.action === 'kb.put');
    // The stored fault before and after the edit (docs/dashboard.md: KB edits are audited with before/after).
    expect(e).toMatchObject({ target: 'kb:faults/0xA001', detail: { before: fault, after: edited } });
    expect(e?.actor).toMatch(/^ota-/);
    expect(Date.parse(e!.at)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('an OTA rule edit is validated, applied and audited', async () => {
    const url = `${t.hub.httpUrl}/api/v1/ota/rules/custom-b002`;
    const rule = { fault_code: '0xB002', cause_id: null, platforms: ['K1'], firmware_component: 'vcu', affected_versions: '<7.0.0', target_component: 'vcu', target_version: '7.2.1', note: 'K1 campaign', enabled: true };
    const bad = await fetch(url, { method: 'PUT', headers: { ...headers.ota, 'content-type': 'application/json' }, body: JSON.stringify({ ...rule, affected_versions: 'not a range' }) });
    expect(bad.status).toBe(400);
    const put = await fetch(url, { method: 'PUT', headers: { ...headers.ota, 'content-type': 'application/json' }, body: JSON.stringify(rule) });
    expect(put.status).toBe(200);
    const rules = (await (await fetch(`${t.hub.httpUrl}/api/v1/ota/rules`, { headers: headers.viewer })).json()) as { rules: { rule_id: string; updated_by: string }[] };
    expect(rules.rules.find((r) => r.rule_id === 'custom-b002')?.updated_by).toMatch(/^ota-/);
    expect(rules.rules.some((r) => r.rule_id === 'kb:0xA001-b')).toBe(true); // seeded from the KB
    const audit = (await (await fetch(`${t.hub.httpUrl}/api/v1/audit`, { headers: headers.admin })).json()) as { entries: { action: string; target: string; detail: { after: { note: string } } }[] };
    expect(audit.entries.find((x) => x.action === 'ota_rule.create')).toMatchObject({ target: 'ota_rule:custom-b002', detail: { after: { note: 'K1 campaign' } } });
  });

  it('the app registers exactly the routes of the table and of OpenAPI (no route escapes the matrix)', async () => {
    const registered = registeredRoutes(t.hub.app.routes);
    const table = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(table).size).toBe(table.length); // no route listed twice
    const doc = (await (await fetch(`${t.hub.httpUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const openapi = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{([A-Za-z]+)\}/g, ':$1')}`));
    const api = [...registered].filter((r) => !(r in UNLISTED));
    expect({
      registered_not_in_table: api.filter((r) => !table.includes(r)).sort(),
      in_table_not_registered: table.filter((r) => !registered.has(r)).sort(),
      registered_not_in_openapi: api.filter((r) => !openapi.includes(r)).sort(),
      in_openapi_not_registered: openapi.filter((r) => !registered.has(r)).sort(),
      allow_listed_not_registered: Object.keys(UNLISTED).filter((r) => !registered.has(r)),
    }).toEqual({ registered_not_in_table: [], in_table_not_registered: [], registered_not_in_openapi: [], in_openapi_not_registered: [], allow_listed_not_registered: [] });
  });

  it('counts middleware once and an ALL handler as a route', () => {
    const got = registeredRoutes([
      { method: 'ALL', path: '/api/v1/kb/*' }, { method: 'GET', path: '/a' }, { method: 'GET', path: '/a' },
      { method: 'ALL', path: '/a' }, { method: 'ALL', path: '/hook' }, { method: 'POST', path: '/a' },
    ]);
    expect([...got].sort()).toEqual(['ALL /hook', 'GET /a', 'POST /a']);
  });

  it('serves an OpenAPI 3.1 description listing every route', async () => {
    const doc = (await (await fetch(`${t.hub.httpUrl}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of ROUTES) expect(doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()]).toBeDefined();
  });
});
