import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { type Access, SESSION_TTL_MS } from './access.js';
import { ApiFailure } from './api-failure.js';
import { CSRF_COOKIE, SESSION_COOKIE, requireRole } from './auth.hook.js';
import { Role, type AuthEnv } from './roles.js';
import { jsonBody } from './json-body.js';

/** User API routes of the auth module, defined once. */
export const AUTH_API = {
  login: '/api/v1/auth/login',
  logout: '/api/v1/auth/logout',
  me: '/api/v1/auth/me',
  tokens: '/api/v1/auth/tokens',
  token: '/api/v1/auth/tokens/:tokenId',
  users: '/api/v1/users',
  audit: '/api/v1/audit',
} as const;

const Login = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const NewToken = z.object({ name: z.string().min(1).max(64) });
const NewUser = z.object({ username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/), role: Role, password: z.string().min(10).max(256) });

/** Login/logout, the caller's identity and tokens, users and the audit log (admin). */
export function authRoutes(access: Access): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const secure = (url: string, proto: string | undefined) => url.startsWith('https:') || proto === 'https';

  app.post(AUTH_API.login, async (c) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin) throw new ApiFailure('CSRF', `cross-origin login from ${origin} refused`);
    const b = await jsonBody(c, Login);
    const s = await access.login(b.username, b.password);
    if (!s) throw new ApiFailure('UNAUTHORIZED', 'wrong username or password');
    const opts = { path: '/', sameSite: 'Strict', secure: secure(c.req.url, c.req.header('x-forwarded-proto')), maxAge: SESSION_TTL_MS / 1000 } as const;
    setCookie(c, SESSION_COOKIE, s.sessionId, { ...opts, httpOnly: true });
    setCookie(c, CSRF_COOKIE, s.csrf, opts);
    await access.users.audit(s.user.username, 'login', `user:${s.user.username}`);
    return c.json({ user: s.user, csrf: s.csrf });
  });

  app.post(AUTH_API.logout, requireRole(access, 'viewer'), async (c) => {
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) await access.logout(sid);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });

  app.get(AUTH_API.me, requireRole(access, 'viewer'), (c) => {
    const u = c.var.user;
    return c.json({ user: { user_id: u.user_id, username: u.username, role: u.role }, via: u.via, ...(u.csrf ? { csrf: u.csrf } : {}) });
  });

  app.post(AUTH_API.tokens, requireRole(access, 'viewer'), async (c) => {
    const b = await jsonBody(c, NewToken);
    const t = await access.issueToken(c.var.user.user_id, b.name);
    await access.users.audit(c.var.user.username, 'token.create', `token:${t.token_id}`, { name: b.name });
    return c.json(t, 201);
  });

  app.delete(AUTH_API.token, requireRole(access, 'viewer'), async (c) => {
    const id = c.req.param('tokenId');
    if (!/^\d+$/.test(id) || !(await access.revokeToken(c.var.user.user_id, id))) throw new ApiFailure('NOT_FOUND', `token ${id} not found`);
    await access.users.audit(c.var.user.username, 'token.revoke', `token:${id}`);
    return c.json({ ok: true });
  });

  app.get(AUTH_API.users, requireRole(access, 'admin'), async (c) => c.json({ users: await access.users.list() }));

  app.post(AUTH_API.users, requireRole(access, 'admin'), async (c) => {
    const b = await jsonBody(c, NewUser);
    const u = await access.createUser(b.username, b.role, b.password);
    if (!u) throw new ApiFailure('CONFLICT', `user ${b.username} exists`);
    await access.users.audit(c.var.user.username, 'user.create', `user:${u.username}`, { role: u.role });
    return c.json(u, 201);
  });

  app.get(AUTH_API.audit, requireRole(access, 'admin'), async (c) => {
    const limit = Math.min(500, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    const before = c.req.query('before');
    return c.json({ entries: await access.users.auditLog({ limit, ...(before && /^\d+$/.test(before) ? { before } : {}) }) });
  });

  return app;
}
