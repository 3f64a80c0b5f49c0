import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from '@argus/shared';

/** A Postgres connection pool plus how to shut down what was started for it. */
export interface Database {
  pool: pg.Pool;
  /** Where it runs: `embedded` (PGlite) or `postgres`. */
  kind: 'embedded' | 'postgres';
  /** Connection string clients can use (the embedded one is loopback only). */
  url: string;
  close(): Promise<void>;
}

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Opens the database: `DATABASE_URL` when given, otherwise an embedded PGlite
 * with pgvector in `dataDir`, served to the `pg` client over pglite-socket on a
 * free loopback port. Runs pending migrations either way.
 */
export async function openDatabase(opts: { url?: string; dataDir: string; log: Logger }): Promise<Database> {
  let db: Database;
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    db = { pool, kind: 'postgres', url: opts.url, close: () => pool.end() };
  } else {
    db = await openEmbedded(opts.dataDir, opts.log);
  }
  await migrate(db.pool, opts.log);
  return db;
}

async function openEmbedded(dataDir: string, log: Logger): Promise<Database> {
  const [{ PGlite }, { vector }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
    import('@electric-sql/pglite-socket'),
  ]);
  const dir = path.join(dataDir, 'pg');
  await mkdir(dir, { recursive: true });
  const t0 = Date.now();
  const lite = await PGlite.create({ dataDir: dir, extensions: { vector } });
  const server = new PGLiteSocketServer({ db: lite, port: 0, host: '127.0.0.1', maxConnections: 16 });
  await server.start();
  const conn = server.getServerConn();
  const url = `postgres://postgres@${conn}/postgres`;
  log.info('embedded database ready', { dir, url, ms: Date.now() - t0 });
  // PGlite runs one query at a time; a small pool keeps the queue short.
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', (err) => log.warn('database pool error', { err: err.message }));
  return {
    pool,
    kind: 'embedded',
    url,
    async close() {
      await pool.end();
      await server.stop();
      await lite.close();
    },
  };
}

/** Applies `migrations/NNNN_*.sql` not yet recorded in `schema_migrations`, in order. */
export async function migrate(pool: pg.Pool, log: Logger): Promise<string[]> {
  await pool.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  const done = new Set((await pool.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const f of files) {
    if (done.has(f)) continue;
    const sql = await readFile(path.join(MIGRATIONS_DIR, f), 'utf8');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [f]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`migration ${f} failed: ${(err as Error).message}`, { cause: err });
    } finally {
      client.release();
    }
    applied.push(f);
    log.info('migration applied', { name: f });
  }
  return applied;
}
