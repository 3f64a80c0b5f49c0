import type { MessagePort } from 'node:worker_threads';
import type { Logger } from '@argus/shared';
import { hostPglite } from './pglite-host.js';

/** Parent → worker. */
export type HostRequest = { kind: 'close' };
/** Worker → parent. */
export type HostReport =
  | { kind: 'ready'; conn: string }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> };

/** Inside the worker: hosts PGlite for `data.dir`, reports `ready`, and closes on request. */
export async function runPgliteHostWorker(port: MessagePort | null, data: { dir: string }): Promise<void> {
  if (!port) throw new Error('pglite host: not started as a worker thread');
  const send = (r: HostReport): void => port.postMessage(r);
  const log = portLogger(send, {});
  let host;
  try {
    host = await hostPglite(data.dir, log);
  } catch (err) {
    send({ kind: 'failed', message: (err as Error).stack ?? String(err) });
    return;
  }
  const h = host;
  port.on('message', (m: HostRequest) => {
    if (m.kind !== 'close') return;
    void h.close().then(
      () => send({ kind: 'closed' }),
      (err: unknown) => {
        send({ kind: 'log', level: 'warn', msg: 'embedded database close failed', fields: { err: (err as Error).message } });
        send({ kind: 'closed' });
      },
    );
  });
  send({ kind: 'ready', conn: h.conn });
}

/** A Logger whose lines go to the parent thread, which logs them with its own logger. */
function portLogger(send: (r: HostReport) => void, base: Record<string, unknown>): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => send({ kind: 'log', level, msg, fields: { ...base, ...fields } });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (f) => portLogger(send, { ...base, ...f }) };
}
