/**
 * Access to the knowledge-base CRUD (cloud-hub/src/http/kb-routes.ts, under
 * /api/v1/kb): reading and searching need a viewer, changes an OTA engineer;
 * every successful change is written to the audit log with who, when, what
 * (method, path, and the body sent, truncated to 16 KiB).
 */
import type { MiddlewareHandler } from 'hono';
import type { Access } from '../auth/access.js';
import { authenticate } from '../auth/auth.hook.js';
import { roleAllows } from '../auth/roles.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_AUDIT_BODY = 16 * 1024;

/** True for requests that only read (the retrieval search is a POST that changes nothing). */
function readsOnly(method: string, path: string): boolean {
  return SAFE.has(method) || (method === 'POST' && path.endsWith('/kb/search'));
}

/** The guard for the KB routes; `onChange` runs after every successful change (e.g. seeding OTA rules of new causes). */
export function kbGuard(access: Access, onChange?: () => Promise<void>): MiddlewareHandler {
  return async (c, next) => {
    const u = await authenticate(c, access);
    if (!('user_id' in u)) return c.json({ code: u.code, message: u.message }, u.status);
    const read = readsOnly(c.req.method, c.req.path);
    const need = read ? 'viewer' : 'ota';
    if (!roleAllows(u.role, need)) return c.json({ code: 'FORBIDDEN', message: `${u.username} (${u.role}) may not change the knowledge base; needs ${need}` }, 403);
    const body = read ? '' : await c.req.text();
    await next();
    if (!read && c.res.status < 300) {
      let sent: unknown = body.slice(0, MAX_AUDIT_BODY);
      try { if (body.length <= MAX_AUDIT_BODY) sent = JSON.parse(body); } catch { /* keep the text */ }
      await access.users.audit(u.username, `kb.${c.req.method.toLowerCase()}`, c.req.path.replace(/^\/api\/v1\/kb\/?/, 'kb:') || 'kb:', { body: sent });
      await onChange?.();
    }
  };
}
