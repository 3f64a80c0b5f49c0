import { pino, type Logger as Pino } from 'pino';
import type { Logger, LogLevel } from '@argus/shared';

/**
 * The shared `Logger` interface on top of pino: one JSON object per line with
 * pino's standard keys (`level` as a number, `time` in epoch ms, `msg`) plus the
 * bound fields (`svc`, `vin`, `batch_id`, …). `write` is the sink the program
 * shell chooses (stderr, the demo's log file); this module opens nothing.
 *
 * @example
 *   const log = createPinoLogger('info', { svc: 'hub' }, (l) => process.stderr.write(l));
 *   log.child({ vin }).info('manifest stored', { batch_id });
 */
export function createPinoLogger(level: LogLevel, base: Record<string, unknown>, write: (line: string) => void): Logger {
  const root = pino(
    { level, base: null, formatters: { level: (label, n) => ({ level: n, level_name: label }) } },
    { write: (s: string) => write(s) },
  );
  return wrap(Object.keys(base).length > 0 ? root.child(base) : root);
}

function wrap(p: Pino): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (fields) => wrap(p.child(fields)),
  };
}
