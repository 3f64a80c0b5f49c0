import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { Logger } from '@argus/shared';
import { ContentDecodeError, decodedLength } from './content-codec.js';

/** What the ingest check learns of a chunk's bytes. */
export interface ContentFacts {
  sha256: string;
  /** zstd only: the decoded length, or why it does not decode within the envelope's raw length. */
  decoded?: number | ContentDecodeError;
}

/** Parent → worker. */
interface CheckRequest { id: number; data: Uint8Array; zstdRawLength: number | undefined }
/** Worker → parent. */
interface CheckReply { id: number; sha256: string; length?: number; error?: { code: 'TOO_LARGE' | 'BAD_CONTENT'; message: string } }

/**
 * The CPU-heavy part of checking a chunk: its sha256 and, given
 * `zstdRawLength` (the envelope's raw length, already within the hub's
 * limit), decoding it whole as zstd into a reused scratch buffer of that size
 * to learn its length. gzip's length check stays in Ingest (streamed, bounded).
 */
export async function inspectContent(data: Uint8Array, zstdRawLength?: number): Promise<ContentFacts> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (zstdRawLength === undefined) return { sha256 };
  try {
    return { sha256, decoded: await decodedLength('zstd', Buffer.from(data.buffer, data.byteOffset, data.byteLength), zstdRawLength) };
  } catch (err) {
    if (err instanceof ContentDecodeError) return { sha256, decoded: err };
    throw err;
  }
}

/** Inside the worker: answers every request with its facts. */
export function runContentCheckWorker(port: MessagePort | null): void {
  if (!port) throw new Error('content check: not started as a worker thread');
  port.on('message', (r: CheckRequest) => {
    void inspectContent(r.data, r.zstdRawLength).then((f) => {
      const reply: CheckReply = { id: r.id, sha256: f.sha256 };
      if (typeof f.decoded === 'number') reply.length = f.decoded;
      else if (f.decoded) reply.error = { code: f.decoded.code, message: f.decoded.message };
      port.postMessage(reply);
    });
  });
}

/** Threads the hub checks chunks on by default: one beside the event loop when the machine has a second core, else none. */
export function defaultCheckThreads(): number {
  return availableParallelism() >= 2 ? 1 : 0;
}

/**
 * Checks chunk content off the hub's event loop when it includes a zstd
 * decode (about 0.6 ms for a 1 MiB chunk): these run on `threads` worker
 * threads (round robin) while the event loop serves other vehicles. Ingest
 * asks for a decode only for zstd whose frame header does not give its size
 * (see zstd-frame.ts); the edge agent's chunks give it, so most checks are a
 * sha256 alone (about 0.1 ms for 170 KB), which runs inline: copying the
 * bytes to a worker and back through its message queue costs more. With
 * `threads` = 0 every check runs inline. A worker that dies fails the checks
 * it had (the vehicle re-sends) and is replaced.
 */
export class ContentChecker {
  private readonly workers: Array<Worker | undefined>;
  private readonly pending = new Map<number, { resolve(f: ContentFacts): void; reject(e: Error): void; worker: number; bytes: number }>();
  /** Bytes copied to the workers and not answered yet, and the checks waiting for room. */
  private inFlight = 0;
  private readonly waiting: Array<{ bytes: number; go(): void }> = [];
  private nextId = 1;
  private turn = 0;
  private closed = false;

  /**
   * `maxInFlightBytes` bounds the copies queued for the workers (a fleet's
   * worth of chunks arriving at once would otherwise all be copied): a check
   * that would pass it waits for earlier ones to be answered. One chunk is
   * always let through, whatever its size.
   */
  constructor(threads: number, private readonly log: Logger, private readonly maxInFlightBytes = 64 << 20) {
    this.workers = new Array<Worker | undefined>(Math.max(0, threads)).fill(undefined);
  }

  /** See `inspectContent`. */
  async inspect(data: Buffer, zstdRawLength?: number): Promise<ContentFacts> {
    // The sha256 alone (no decode) runs inline: it costs less than copying the bytes to a worker.
    if (this.workers.length === 0 || this.closed || zstdRawLength === undefined) return inspectContent(data, zstdRawLength);
    if (this.waiting.length > 0 || !this.fits(data.length)) {
      // In arrival order; settled() counts the bytes in before it lets one go.
      await new Promise<void>((go) => this.waiting.push({ bytes: data.length, go }));
      if (this.closed) return inspectContent(data, zstdRawLength);
    } else {
      this.inFlight += data.length;
    }
    const slot = this.turn++ % this.workers.length;
    const worker = this.workers[slot] ?? this.spawn(slot);
    const id = this.nextId++;
    return new Promise<ContentFacts>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: slot, bytes: data.length });
      worker.postMessage({ id, data, zstdRawLength } satisfies CheckRequest);
    });
  }

  /** Bytes of the checks the workers have not answered yet. */
  get bytesInFlight(): number {
    return this.inFlight;
  }

  private fits(bytes: number): boolean {
    return this.inFlight === 0 || this.inFlight + bytes <= this.maxInFlightBytes;
  }

  /** A check was answered or failed: its bytes leave, and the checks waiting first go while they fit. */
  private settled(bytes: number): void {
    this.inFlight -= bytes;
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.inFlight += next.bytes;
      next.go();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.go();
    const ws = this.workers.filter((w): w is Worker => w !== undefined);
    this.workers.fill(undefined);
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private spawn(slot: number): Worker {
    const w = new Worker(new URL('./content-check.worker.mjs', import.meta.url));
    w.unref();
    this.workers[slot] = w;
    w.on('message', (r: CheckReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      this.settled(p.bytes);
      const decoded = r.error ? new ContentDecodeError(r.error.code, r.error.message) : r.length;
      p.resolve(decoded === undefined ? { sha256: r.sha256 } : { sha256: r.sha256, decoded });
    });
    const fail = (why: string): void => {
      if (this.workers[slot] !== w) return;
      this.workers[slot] = undefined;
      if (!this.closed) this.log.error('content check worker stopped', { why });
      for (const [id, p] of this.pending) {
        if (p.worker !== slot) continue;
        this.pending.delete(id);
        this.settled(p.bytes);
        p.reject(new Error(`content check worker stopped: ${why}`));
      }
    };
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    return w;
  }
}
