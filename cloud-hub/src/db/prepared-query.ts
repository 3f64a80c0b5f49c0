import { randomUUID } from 'node:crypto';
import type pg from 'pg';

const names = new WeakMap<pg.PoolClient, Map<string, string>>();

/**
 * Runs `text` as a named prepared statement on one of the pool's connections,
 * for hot statements whose planning costs more than their execution (the
 * barrier). The name is unique per connection: the embedded database serves
 * every connection from ONE backend session, where a shared name
 * would collide ("prepared statement already exists"); on a real Postgres each
 * connection simply keeps its own copy.
 *
 * @example queryPrepared(pool, 'argus_barrier_fire', FIRE_SQL, [batchId, null, null, null])
 */
export async function queryPrepared<R extends pg.QueryResultRow>(pool: pg.Pool, base: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  const client = await pool.connect();
  try {
    let byBase = names.get(client);
    if (!byBase) names.set(client, (byBase = new Map()));
    let name = byBase.get(base);
    if (!name) byBase.set(base, (name = `${base}_${randomUUID().replaceAll('-', '').slice(0, 12)}`));
    return await client.query<R>({ name, text, values });
  } finally {
    client.release();
  }
}
