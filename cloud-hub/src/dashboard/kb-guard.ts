/**
 * Access to the knowledge-base CRUD (cloud-hub/src/http/kb-routes.ts, under
 * /api/v1/kb): reading and searching need a viewer, changes an OTA engineer;
 * every successful change is written to the audit log with who, when, what
 * (method and path) and the entity's stored state before and after, as the
 * route recorded it (http/kb-change.ts). A route that records no change is
 * audited with the body sent instead.
 */
import type { MiddlewareHandler } from 'hono';
import type { Access } from '../auth/access.js';
import { authenticate } from '../auth/auth.hook.js';
import { roleAllows } from '../auth/roles.js';
import { KB_CHANGE, type KbChange } from '../http/kb-change.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Largest before/after (or body) kept whole in one audit entry, in characters of JSON. */
export const MAX_AUDIT_VALUE = 64 * 1024;

/** True for requests that only read (the retrieval search is a POST that changes nothing). */
function readsOnly(method: string, path: string): boolean {
  return SAFE.has(method) || (method === 'POST' && path.endsWith('/kb/search'));
}

/**
 * `v` when its JSON fits MAX_AUDIT_VALUE; otherwise a stand-in saying so
 * (with the keys of an object, e.g. the entities a bundle import named).
 */
export function auditValue(v: unknown): unknown {
  const json = JSON.stringify(v) ?? 'null';
  if (json.length <= MAX_AUDIT_VALUE) return v ?? null;
  return { truncated: true, json_chars: json.length, ...(v && typeof v === 'object' && !Array.isArray(v) ? { keys: Object.keys(v) } : {}) };
}

/** The body sent, parsed when it is JSON, for routes that record no change. */
function sentBody(text: string): unknown {
  if (text.length > MAX_AUDIT_VALUE) return auditValue(text);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The guard for the KB routes; `onChange` runs after every successful change (e.g. seeding OTA rules of new causes). */
export function kbGuard(access: Access, onChange?: () => Promise<void>): MiddlewareHandler {
  return async (c, next) => {
    const u = await authenticate(c, access);
    if (!('user_id' in u)) return c.json({ code: u.code, message: u.message }, u.status);
    const read = readsOnly(c.req.method, c.req.path);
    const need = read ? 'viewer' : 'ota';
    if (!roleAllows(u.role, need)) return c.json({ code: 'FORBIDDEN', message: `${u.username} (${u.role}) may not change the knowledge base; needs ${need}` }, 403);
    await next();
    if (!read && c.res.status < 300) {
      const change = c.get(KB_CHANGE) as KbChange | undefined;
      // The route has read the body already; Hono serves the text from its body cache.
      const detail = change ? { before: auditValue(change.before), after: auditValue(change.after) } : { body: sentBody(await c.req.text()) };
      await access.users.audit(u.username, `kb.${c.req.method.toLowerCase()}`, c.req.path.replace(/^\/api\/v1\/kb\/?/, 'kb:') || 'kb:', detail);
      await onChange?.();
    }
  };
}
