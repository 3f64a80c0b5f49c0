/**
 * User authentication for Hono routes: `Authorization: Bearer argus_u_…` API
 * tokens or the `argus_session` cookie. Cookie-authenticated state-changing
 * requests must pass the CSRF check (same Origin when sent, and the session's
 * token echoed in `x-csrf-token`). Requests carrying vehicle credentials
 * (`x-argus-vin`) are refused: vehicles cannot call user APIs.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { type Access, sameSecret } from './access.js';
import { roleAllows, type AuthEnv, type AuthUser, type Role } from './roles.js';

/** Session cookie name (HttpOnly). */
export const SESSION_COOKIE = 'argus_session';
/** CSRF cookie name (readable by the page, which echoes it in `x-csrf-token`). */
export const CSRF_COOKIE = 'argus_csrf';
/** Header carrying the CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

type Refusal = { status: 401 | 403; code: string; message: string };

/** Resolves the caller; a refusal when credentials are missing, wrong or not allowed here. */
export async function authenticate(c: Context, access: Access): Promise<AuthUser | Refusal> {
  if (c.req.header('x-argus-vin') !== undefined) return { status: 403, code: 'VEHICLE_NOT_ALLOWED', message: 'vehicle credentials cannot call user APIs' };
  const authz = c.req.header('authorization');
  if (authz !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    const u = m ? await access.fromToken(m[1]!) : null;
    return u ?? { status: 401, code: 'UNAUTHORIZED', message: 'API token missing, unknown or revoked' };
  }
  const sid = getCookie(c, SESSION_COOKIE);
  if (!sid) return { status: 401, code: 'UNAUTHORIZED', message: 'sign in or send an API token' };
  const u = await access.fromSession(sid);
  if (!u) return { status: 401, code: 'UNAUTHORIZED', message: 'session expired or unknown' };
  if (!SAFE.has(c.req.method)) {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin) return { status: 403, code: 'CSRF', message: `cross-origin request from ${origin} refused` };
    const sent = c.req.header(CSRF_HEADER) ?? '';
    if (!u.csrf || !sameSecret(sent, u.csrf)) return { status: 403, code: 'CSRF', message: `missing or wrong ${CSRF_HEADER} header` };
  }
  return u;
}

/** Middleware: the caller must be a user with at least `role`; sets `c.var.user`. */
export function requireRole(access: Access, role: Role): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const r = await authenticate(c, access);
    if (!('user_id' in r)) return c.json({ code: r.code, message: r.message }, r.status);
    if (!roleAllows(r.role, role)) return c.json({ code: 'FORBIDDEN', message: `${r.username} (${r.role}) may not do this; needs ${role}` }, 403);
    c.set('user', r);
    await next();
  };
}
