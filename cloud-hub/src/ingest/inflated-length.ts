import { createGunzip, gunzipSync } from 'node:zlib';

/** Why a gzip body could not be measured: not gzip, or it inflates beyond the limit. */
export class InflateError extends Error {
  constructor(readonly code: 'BAD_CONTENT' | 'TOO_LARGE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InflateError';
  }
}

/** Output slice size: one or two slices for a typical chunk, none kept. */
const SLICE = 64 * 1024;

/**
 * Inflates a gzip body off the event loop and answers how many bytes it
 * inflates to, without keeping them: the ingest check (gzip bomb guard and
 * raw-length check) needs the count only, so the output slices are dropped as
 * they come instead of being concatenated into one buffer per chunk. Stops,
 * with `TOO_LARGE`, as soon as the output passes `limit` bytes — a bomb costs
 * at most `limit + 64 KiB` of work. With `expected` (the envelope's raw
 * length) small, it first inflates on the calling thread up to `expected + 1`
 * bytes (see SYNC_MAX); only a body that inflates further takes the slow path.
 *
 * @example await gzipInflatedLength(body, 64 << 20) // → 91_234
 */
export async function gzipInflatedLength(data: Buffer, limit: number, expected?: number): Promise<number> {
  if (expected !== undefined && expected <= SYNC_MAX && expected < limit) {
    const n = inflateSmall(data, expected);
    if (n !== undefined) return n;
  }
  return inflateCounting(data, limit);
}

/**
 * Bodies that say they inflate to at most this many bytes are inflated on the
 * calling thread: half the CPU of a thread-pool round trip (measured: 0.24 ms
 * vs 0.45 ms for a 20 KB → 90 KB chunk), and at most about 3 ms of blocking.
 */
const SYNC_MAX = 1 << 20;

/**
 * Inflates synchronously, stopping one byte past `expected`. Answers the size,
 * or undefined when the body inflates to more than `expected` (the caller then
 * measures it against the real limit, off the event loop).
 */
function inflateSmall(data: Buffer, expected: number): number | undefined {
  try {
    // One output slice of the expected size: no concatenation (-20% CPU).
    return gunzipSync(data, { maxOutputLength: expected + 1, chunkSize: Math.max(64 * 1024, expected + 1) }).length;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || cause instanceof RangeError) return undefined;
    throw new InflateError('BAD_CONTENT', 'not valid gzip', { cause });
  }
}

function inflateCounting(data: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const z = createGunzip({ chunkSize: SLICE });
    let n = 0;
    let done = false;
    const finish = (err: InflateError | null): void => {
      if (done) return;
      done = true;
      if (err) {
        z.destroy();
        reject(err);
      } else resolve(n);
    };
    z.on('data', (slice: Buffer) => {
      n += slice.length;
      if (n > limit) finish(new InflateError('TOO_LARGE', `inflates beyond ${limit} bytes`));
    });
    z.on('error', (cause) => finish(new InflateError('BAD_CONTENT', 'not valid gzip', { cause })));
    z.on('end', () => finish(null));
    z.end(data);
  });
}
