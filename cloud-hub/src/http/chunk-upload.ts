import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { chunkId, type ChunkEnvelope } from '@argus/shared';
import { IngestError } from '../ingest/ingest-error.js';

/** Limits and scratch space of a streamed chunk upload. */
export interface ChunkUploadOptions {
  vin: string;
  /** Largest decompressed size (gzip bomb guard), bytes. */
  maxRawBytes: number;
  /** Where bodies are spooled while they are checked; default the OS temp dir. */
  spoolDir?: string | undefined;
}

/**
 * Receives one chunk's HTTP body as a stream: spools it to a temp file while
 * hashing it (sha256) and inflating it into a counter, so that a body is
 * refused as soon as it goes wrong — more bytes than the envelope's
 * `byte_length` (413, the rest is never read), inflating beyond the limit or
 * beyond the envelope's `raw_length` — and memory never holds more than the
 * declared chunk (≤ MAX_CHUNK_BYTES). Returns the verified bytes; the temp file
 * is always removed. Ingest then stores them idempotently by chunk id + sha256.
 */
export async function receiveChunk(body: ReadableStream<Uint8Array> | null, e: ChunkEnvelope, o: ChunkUploadOptions): Promise<Buffer> {
  const id = chunkId(e);
  const who = `vehicle ${o.vin} chunk ${id}`;
  if (e.raw_length > o.maxRawBytes) throw new IngestError('TOO_LARGE', `${who}: raw length ${e.raw_length} exceeds ${o.maxRawBytes}`);
  const dir = o.spoolDir ?? path.join(os.tmpdir(), 'argus-spool');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.part`);
  const out = createWriteStream(file);
  const hash = createHash('sha256');
  const inflate = e.content_encoding === 'gzip' ? createGunzip() : undefined;
  let raw = 0;
  let inflateError: IngestError | undefined;
  const inflated = inflate ? once(inflate, 'end').catch(() => undefined) : Promise.resolve();
  inflate?.on('data', (b: Buffer) => {
    raw += b.length;
    if (raw > Math.min(o.maxRawBytes, e.raw_length) && !inflateError) {
      inflateError = raw > o.maxRawBytes
        ? new IngestError('TOO_LARGE', `${who}: inflates beyond ${o.maxRawBytes} bytes`)
        : new IngestError('RAW_LENGTH_MISMATCH', `${who}: inflates to more than the ${e.raw_length} bytes the envelope says`);
      inflate.destroy();
    }
  });
  inflate?.on('error', (cause) => {
    inflateError ??= new IngestError('BAD_CONTENT', `${who}: not valid gzip`, { cause });
  });
  const reader = body?.getReader();
  let n = 0;
  try {
    for (;;) {
      const r = reader ? await reader.read() : { done: true as const, value: undefined };
      if (r.done) break;
      n += r.value.length;
      if (n > e.byte_length) {
        await reader?.cancel().catch(() => {});
        throw new IngestError('TOO_LARGE', `${who}: body exceeds the envelope's byte_length ${e.byte_length} (at byte offset ${e.byte_length})`);
      }
      hash.update(r.value);
      if (inflate && !inflateError) inflate.write(r.value);
      if (inflateError) {
        await reader?.cancel().catch(() => {});
        throw inflateError;
      }
      if (!out.write(r.value)) await once(out, 'drain');
    }
    if (n !== e.byte_length) throw new IngestError('LENGTH_MISMATCH', `${who}: envelope says ${e.byte_length} bytes, got ${n}`);
    const sha = hash.digest('hex');
    if (sha !== e.sha256) throw new IngestError('SHA256_MISMATCH', `${who}: sha256 of the bytes is ${sha}, envelope says ${e.sha256}`);
    if (inflate && !inflateError) {
      inflate.end();
      await inflated;
    }
    if (inflateError) throw inflateError;
    if (inflate && raw !== e.raw_length) throw new IngestError('RAW_LENGTH_MISMATCH', `${who}: inflates to ${raw} bytes, envelope says ${e.raw_length}`);
    out.end();
    await once(out, 'close');
    // zstd is checked by Ingest, like a chunk sent over MQTT: by its frame's
    // structure, or decoded whole into a buffer of exactly raw_length when the
    // frame does not give its size (ADR 0014).
    return await readFile(file);
  } finally {
    inflate?.destroy();
    out.destroy();
    await rm(file, { force: true });
  }
}
