import { availableParallelism } from 'node:os';

import type { ParseOptions } from './types.js';

/** The most parse threads the addon takes (it refuses more). */
export const MAX_PARSE_THREADS = 64;

/** Every core of this machine, as parse threads. */
export function allCoreThreads(): number {
  return Math.min(availableParallelism(), MAX_PARSE_THREADS);
}

/**
 * Checks parse options before they reach the addon (which would silently
 * ignore a value it cannot use) and throws a RangeError that lists every bad
 * key, e.g. `bad parse options: decimate['/imu'] must be an integer >= 1 (got 0)`.
 */
export function checkParseOptions(o: ParseOptions): void {
  const bad: string[] = [];
  const perTopic = (name: 'decimate' | 'maxRateHz', ok: (v: number) => boolean, want: string) => {
    const m = o[name];
    if (m === undefined) return;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      bad.push(`${name} must be an object of topic → number`);
      return;
    }
    for (const [k, v] of Object.entries(m)) if (typeof v !== 'number' || !ok(v)) bad.push(`${name}['${k}'] must be ${want} (got ${String(v)})`);
  };
  perTopic('decimate', (v) => Number.isInteger(v) && v >= 1 && v < 2 ** 32, 'an integer >= 1');
  perTopic('maxRateHz', (v) => Number.isFinite(v) && v > 0 && v <= 1e9, 'a rate in Hz > 0');
  if (o.chunkBytes !== undefined && !(Number.isInteger(o.chunkBytes) && o.chunkBytes >= 1 && o.chunkBytes <= 2 ** 32)) bad.push(`chunkBytes must be an integer >= 1 (got ${o.chunkBytes})`);
  if (o.arrayExpandLimit !== undefined && !(Number.isInteger(o.arrayExpandLimit) && o.arrayExpandLimit >= 0 && o.arrayExpandLimit <= 65536)) {
    bad.push(`arrayExpandLimit must be an integer 0 … 65536 (got ${o.arrayExpandLimit})`);
  }
  if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads >= 1 && o.threads <= MAX_PARSE_THREADS)) bad.push(`threads must be an integer 1 … ${MAX_PARSE_THREADS} (got ${o.threads})`);
  if (o.compress !== undefined) {
    const c = o.compress as { encoding?: unknown; level?: unknown } | null;
    if (c === null || typeof c !== 'object' || c.encoding !== 'zstd') bad.push(`compress must be { encoding: 'zstd', level? } (got ${JSON.stringify(o.compress)})`);
    else if (c.level !== undefined && !(Number.isInteger(c.level) && (c.level as number) >= 1 && (c.level as number) <= 22)) bad.push(`compress.level must be an integer 1 … 22 (got ${String(c.level)})`);
  }
  if (bad.length > 0) throw new RangeError(`bad parse options: ${bad.join('; ')}`);
}

/**
 * Parses a CLI list of `topic=number` pairs (`/imu=10,/camera/*=2`), for
 * --decimate and --max-rate. Throws with the offending item.
 */
export function parseTopicNumbers(flag: string, text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of text.split(',').map((x) => x.trim()).filter((x) => x.length > 0)) {
    const at = item.lastIndexOf('=');
    const n = at > 0 ? Number(item.slice(at + 1)) : NaN;
    if (at <= 0 || !Number.isFinite(n)) throw new RangeError(`--${flag}: '${item}' is not topic=number`);
    out[item.slice(0, at)] = n;
  }
  return out;
}
