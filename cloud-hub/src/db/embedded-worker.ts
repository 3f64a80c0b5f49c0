import { Worker } from 'node:worker_threads';
import type { Logger } from '@argus/shared';
import type { PgliteHost } from './pglite-host.js';
import type { HostReport, HostRequest } from './pglite-host-worker.js';

/**
 * Hosts the embedded database (PGlite + its wire server) on a worker thread,
 * so that its WebAssembly Postgres never runs on the hub's event loop, which
 * then only serves MQTT, HTTP and ingest. The hub talks to it exactly as
 * before: `pg` over loopback TCP. The worker's log lines are relayed to `log`.
 * If the worker dies, connections fail (and are retried by their callers);
 * the hub itself keeps running.
 */
export async function startPgliteWorker(dir: string, log: Logger): Promise<PgliteHost> {
  const worker = new Worker(new URL('./pglite-host.worker.mjs', import.meta.url), { workerData: { dir } });
  let closing = false;
  let onClosed: (() => void) | undefined;
  const conn = await new Promise<string>((resolve, reject) => {
    worker.on('message', (r: HostReport) => {
      if (r.kind === 'log') log[r.level](r.msg, r.fields);
      else if (r.kind === 'ready') resolve(r.conn);
      else if (r.kind === 'failed') reject(new Error(`embedded database failed to start: ${r.message}`));
      else if (r.kind === 'closed') onClosed?.();
    });
    worker.on('error', (err) => {
      log.error('embedded database worker failed', { err: err.message });
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!closing) log.error('embedded database worker exited', { code });
      reject(new Error(`embedded database worker exited (${code})`));
      onClosed?.();
    });
  });
  return {
    conn,
    async close() {
      if (closing) return;
      closing = true;
      await new Promise<void>((resolve) => {
        onClosed = resolve;
        worker.postMessage({ kind: 'close' } satisfies HostRequest);
      });
      await worker.terminate();
    },
  };
}
