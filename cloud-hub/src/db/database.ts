import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from '@argus/shared';
import { hostPglite } from './pglite-host.js';
import { startPgliteWorker } from './embedded-worker.js';

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
 * with pgvector in `dataDir`, served to the `pg` client by PgliteWireServer on
 * a free loopback port — on a worker thread (`embeddedThread: 'worker'`, the
 * default) so Postgres work stays off the hub's event loop, or on the caller's
 * thread (`'main'`). Runs pending migrations either way.
 */
export async function openDatabase(opts: { url?: string; dataDir: string; log: Logger; embeddedThread?: 'worker' | 'main' }): Promise<Database> {
  let db: Database;
  if (opts.url) {
    const pool = guardPool(new pg.Pool({ connectionString: opts.url, max: 10 }), opts.log);
    db = { pool, kind: 'postgres', url: opts.url, close: () => pool.end() };
  } else {
    db = await openEmbedded(opts.dataDir, opts.log, opts.embeddedThread ?? 'worker');
  }
  await migrate(db.pool, opts.log);
  return db;
}

async function openEmbedded(dataDir: string, log: Logger, thread: 'worker' | 'main'): Promise<Database> {
  const dir = path.join(dataDir, 'pg');
  const t0 = Date.now();
  const host = thread === 'worker' ? await startPgliteWorker(dir, log) : await hostPglite(dir, log);
  const url = `postgres://postgres@${host.conn}/postgres`;
  log.info('embedded database ready', { dir, url, thread, ms: Date.now() - t0 });
  // PGlite runs one query at a time; a small pool keeps the queue short.
  const pool = guardPool(new pg.Pool({ connectionString: url, max: 4 }), log);
  return {
    pool,
    kind: 'embedded',
    url,
    async close() {
      await pool.end();
      await host.close();
    },
  };
}

/**
 * Makes the pool's clients unable to crash the process: `pg` emits 'error' on a
 * client for a lost connection or an ErrorResponse that arrives with no query
 * waiting for it, and pg-pool listens only while a client is idle — a
 * checked-out client without a listener would throw from the event emitter.
 * Every client gets a listener for its whole life; the error is logged, and
 * the client (no longer queryable) is discarded by the pool on release.
 */
export function guardPool(pool: pg.Pool, log: Logger): pg.Pool {
  pool.on('error', (err) => log.warn('database pool error (idle client)', { err: err.message }));
  pool.on('connect', (client) => {
    client.on('error', (err) => log.warn('database client error', { err: err.message }));
  });
  return pool;
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
