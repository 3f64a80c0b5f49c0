import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '@argus/shared';
import { PgliteWireServer } from './pglite-wire-server.js';

/** A running embedded database: PGlite with pgvector behind a PgliteWireServer. */
export interface PgliteHost {
  /** `host:port` of the loopback wire server. */
  conn: string;
  close(): Promise<void>;
}

/**
 * Opens PGlite (with pgvector) in `dir` and serves it on a free loopback port.
 * Runs wherever it is called: in the embedded-database worker thread by
 * default (`pglite-host.worker.mjs`), or on the caller's thread.
 */
export async function hostPglite(dir: string, log: Logger): Promise<PgliteHost> {
  const [{ PGlite }, { vector }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector')]);
  await mkdir(dir, { recursive: true });
  const lite: PGlite = await PGlite.create({ dataDir: dir, extensions: { vector } });
  // Not @electric-sql/pglite-socket: it interleaves concurrent extended-query
  // sequences on the one PGlite session (see PgliteWireServer).
  const server = new PgliteWireServer(lite, log);
  const conn = await server.start();
  return {
    conn,
    async close() {
      await server.stop();
      await lite.close();
    },
  };
}
