import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@argus/shared';
import { openDatabase, type Database } from './database.js';
import { WireClient, wire } from './wire-client.testing.js';

/**
 * The embedded database serves many `pg` connections from ONE PGlite session.
 * Served by @electric-sql/pglite-socket, concurrent extended-query sequences
 * (every parameterised query) interleaved and killed each other's unnamed
 * portal — `error: portal "" does not exist`, emitted on a checked-out client,
 * crashed the hub. These run that load through the pool on real PGlite.
 */
describe('embedded database under concurrent load', () => {
  let db: Database;
  let dir: string;
  const warnings: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-embedded-'));
    const log = createLogger('warn', {}, (line) => warnings.push(line));
    db = await openDatabase({ dataDir: dir, log });
    await db.pool.query('CREATE TABLE IF NOT EXISTS concurrency_probe (k text, n int)');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers every parameterised query with its own result while transactions run', async () => {
    const plain = Array.from({ length: 400 }, (_, i) =>
      db.pool.query<{ a: number; b: string }>('SELECT $1::int * 2 AS a, $2::text AS b', [i, `v${i}`]).then((r) => {
        expect(r.rows).toEqual([{ a: i * 2, b: `v${i}` }]);
      }),
    );
    // Named statements share the one session too: names must be unique per connection (see prepared-query.ts).
    const named = Array.from({ length: 100 }, (_, i) =>
      db.pool.query<{ a: number }>({ name: `probe_${i}`, text: 'SELECT $1::int + 1 AS a', values: [i] }).then((r) => expect(r.rows[0]!.a).toBe(i + 1)),
    );
    const txs = Array.from({ length: 30 }, async (_, t) => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        for (let j = 0; j < 5; j++) await client.query('INSERT INTO concurrency_probe (k, n) VALUES ($1, $2)', [`tx${t}`, j]);
        // Inside the transaction, only its own uncommitted rows are visible under this key.
        const r = await client.query<{ c: number }>('SELECT count(*)::int AS c FROM concurrency_probe WHERE k = $1', [`tx${t}`]);
        expect(r.rows[0]!.c).toBe(5);
        await client.query(t % 3 === 0 ? 'ROLLBACK' : 'COMMIT');
      } finally {
        client.release();
      }
    });
    await Promise.all([...plain, ...named, ...txs]);
    const kept = await db.pool.query<{ k: string; c: number }>('SELECT k, count(*)::int AS c FROM concurrency_probe GROUP BY k');
    expect(kept.rows).toHaveLength(20); // the 10 rolled-back transactions left nothing
    expect(kept.rows.every((r) => r.c === 5)).toBe(true);
  }, 120_000);

  it('keeps serving when a query fails inside an extended sequence or a transaction', async () => {
    const bad = Array.from({ length: 50 }, (_, i) => db.pool.query('SELECT 1 / $1::int AS x', [i % 2]).then(() => 'ok', (e: Error) => e.message));
    const failedTx = (async () => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await expect(client.query('SELECT $1::int / 0', [1])).rejects.toThrow(/division by zero/);
        await expect(client.query('SELECT 1')).rejects.toThrow(/aborted/);
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    })();
    const answers = await Promise.all(bad);
    await failedTx;
    expect(answers.filter((a) => a === 'ok')).toHaveLength(25);
    expect(answers.filter((a) => a !== 'ok').every((a) => /division by zero/.test(a))).toBe(true);
    expect((await db.pool.query('SELECT $1::text AS v', ['alive'])).rows[0]).toEqual({ v: 'alive' });
  }, 120_000);

  it('rolls back the transaction of a connection that drops while holding the session', async () => {
    const client = await db.pool.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO concurrency_probe (k, n) VALUES ($1, 1)', ['dropped']);
    const waiting = db.pool.query<{ c: number }>('SELECT count(*)::int AS c FROM concurrency_probe WHERE k = $1', ['dropped']);
    client.release(true); // destroys the connection mid-transaction
    expect((await waiting).rows[0]!.c).toBe(0);
  }, 120_000);

  it('gives every pool client an error listener for its whole life, checked out or idle', async () => {
    const client = await db.pool.connect();
    try {
      expect(client.listenerCount('error')).toBeGreaterThan(0);
      // An ErrorResponse with no query waiting is emitted as 'error': logged, not thrown.
      expect(() => client.emit('error', new Error('portal "" does not exist'))).not.toThrow();
    } finally {
      client.release(true);
    }
    expect(warnings.some((w) => w.includes('portal'))).toBe(true);
  });
});

describe('embedded database: an extended-query sequence split across TCP writes', () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-embedded-'));
    db = await openDatabase({ dataDir: dir, log: createLogger('silent', {}, () => undefined) });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  // With pglite-socket, B's Parse replaced A's unnamed statement and B's Sync
  // closed A's unnamed portal between A's messages: A got B's row, or
  // `portal "" does not exist`. Now B waits until A's Sync.
  it("keeps another connection out of the session until the sequence's Sync", async () => {
    const hostPort = db.url.replace(/^postgres:\/\/[^@]*@/, '').replace(/\/.*$/, '');
    const a = await WireClient.open(hostPort);
    const b = await WireClient.open(hostPort);
    try {
      a.send(wire.parse("SELECT 'a-statement'"));
      await new Promise((r) => setTimeout(r, 100));
      b.send(wire.parse("SELECT 'b-statement'"), wire.bind(), wire.execute(), wire.sync());
      await new Promise((r) => setTimeout(r, 100));
      a.send(wire.bind());
      await new Promise((r) => setTimeout(r, 100));
      a.send(wire.execute(), wire.sync());
      expect(await a.untilReady()).toEqual({ rows: ['a-statement'], errors: [] });
      expect(await b.untilReady()).toEqual({ rows: ['b-statement'], errors: [] });
    } finally {
      a.close();
      b.close();
    }
  }, 60_000);
});
