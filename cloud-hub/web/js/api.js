/* global URLSearchParams */
/** The hub's JSON API from the browser: session cookie + CSRF header on state changes. */

let csrf = null;

/** Remembers the CSRF token of the session (from login or /auth/me). */
export function setCsrf(token) { csrf = token ?? null; }

/** An API error with the hub's {code, message}. */
export class ApiError extends Error {
  constructor(status, body) { super(body?.message ?? `HTTP ${status}`); this.status = status; this.code = body?.code; }
}

/** Calls the API; JSON in and out. 401 sends the user to the login page. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (res.status === 401 && !path.endsWith('/auth/login')) {
    location.hash = '#/login';
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
