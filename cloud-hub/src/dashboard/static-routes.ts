/**
 * Serves the browser app (cloud-hub/web) under /app and uPlot from
 * node_modules. Files are read once and kept in memory (the app is small);
 * only names in the app's folder are served (no path traversal).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/** Where the dashboard lives. */
export const APP_PATH = '/app';
const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
};

interface Asset { body: Buffer; type: string; etag: string }

async function loadAssets(): Promise<Map<string, Asset>> {
  const out = new Map<string, Asset>();
  const add = (name: string, body: Buffer) => {
    const type = TYPES[path.extname(name)];
    if (type) out.set(name, { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
  };
  for (const e of await readdir(WEB_DIR, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    add(path.relative(WEB_DIR, full).split(path.sep).join('/'), await readFile(full));
  }
  const uplotDir = path.dirname(createRequire(import.meta.url).resolve('uplot'));
  add('vendor/uplot.js', await readFile(path.join(uplotDir, 'uPlot.iife.min.js')));
  add('vendor/uplot.css', await readFile(path.join(uplotDir, 'uPlot.min.css')));
  return out;
}

/** Routes: `/` → `/app/`, `/app/` → index.html, `/app/<file>`. */
export function staticRoutes(): Hono {
  const app = new Hono();
  let assets: Promise<Map<string, Asset>> | undefined;
  const serve = async (name: string, ifNoneMatch: string | undefined): Promise<Response> => {
    assets ??= loadAssets();
    const a = (await assets).get(name);
    if (!a) return Response.json({ code: 'NOT_FOUND', message: `no file ${name}` }, { status: 404 });
    const headers = {
      'content-type': a.type, etag: a.etag, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff',
      ...(name === 'index.html' ? { 'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'" } : {}),
    };
    if (ifNoneMatch === a.etag) return new Response(null, { status: 304, headers });
    return new Response(new Uint8Array(a.body), { headers });
  };
  app.get('/', (c) => c.redirect(`${APP_PATH}/`));
  app.get(APP_PATH, (c) => c.redirect(`${APP_PATH}/`));
  app.get(`${APP_PATH}/`, (c) => serve('index.html', c.req.header('if-none-match')));
  app.get(`${APP_PATH}/*`, (c) => serve(c.req.path.slice(APP_PATH.length + 1), c.req.header('if-none-match')));
  return app;
}
