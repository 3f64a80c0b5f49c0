/**
 * Chunk content encodings on the hub side: one place that knows how each
 * `content_encoding` is decoded, what object-key suffix it gets, and how to
 * bound its output (a compression bomb must cost no more than the limit).
 */
import type { Transform } from 'node:stream';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { ContentEncoding } from '@argus/shared';
import { DecompressStream } from 'zstd-napi';
import binding from 'zstd-napi/binding.js';

const gunzipAsync = promisify(gunzip);

/** Why decoding failed: the bytes are not the encoding, or they inflate beyond the limit. */
export class ContentDecodeError extends Error {
  constructor(readonly code: 'BAD_CONTENT' | 'TOO_LARGE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ContentDecodeError';
  }
}

/** The encoding a stored chunk's object key says it holds (see `CHUNK_SUFFIX`). */
export function encodingOfKey(key: string): ContentEncoding {
  if (key.endsWith('.gz')) return 'gzip';
  if (key.endsWith('.zst')) return 'zstd';
  return 'identity';
}

/** A streaming decoder for `encoding`, or undefined for `identity`. */
export function createDecoder(encoding: ContentEncoding): Transform | undefined {
  if (encoding === 'gzip') return createGunzip();
  if (encoding === 'zstd') return new DecompressStream();
  return undefined;
}

/**
 * Decodes a whole chunk whose envelope declares `rawLength` bytes (already
 * checked against the hub's limit): the output may not exceed it, and a
 * compression bomb costs no more than `rawLength` of memory (zstd decodes
 * into a buffer of exactly that size; gzip stops at the limit).
 */
export async function decodeContent(encoding: ContentEncoding, data: Buffer, rawLength: number): Promise<Buffer> {
  if (encoding === 'identity') return data;
  if (encoding === 'gzip') {
    try {
      return await gunzipAsync(data, { maxOutputLength: Math.max(1, rawLength + 1) });
    } catch (cause) {
      const tooBig = (cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /exceeds|too large/i.test((cause as Error).message);
      throw tooBig
        ? new ContentDecodeError('TOO_LARGE', `inflates beyond ${rawLength} bytes`, { cause })
        : new ContentDecodeError('BAD_CONTENT', 'not valid gzip', { cause });
    }
  }
  const out = Buffer.allocUnsafe(rawLength);
  return out.subarray(0, zstdInto(out, data, rawLength));
}

/**
 * How many bytes a chunk decodes to, checked like `decodeContent` but without
 * keeping them: the ingest check needs the count only. zstd decodes into one
 * reused scratch buffer (chunks up to SCRATCH_MAX) with one reused context.
 */
export async function decodedLength(encoding: ContentEncoding, data: Buffer, rawLength: number): Promise<number> {
  if (encoding !== 'zstd') return (await decodeContent(encoding, data, rawLength)).length;
  if (rawLength > SCRATCH_MAX) return zstdInto(Buffer.allocUnsafe(rawLength), data, rawLength);
  if (scratch.length < rawLength) scratch = Buffer.allocUnsafe(Math.max(rawLength, 2 * scratch.length));
  return zstdInto(scratch.subarray(0, rawLength), data, rawLength);
}

/** Largest decoded chunk checked in the kept scratch buffer (the edge agent's chunks are 1 MiB by default). */
const SCRATCH_MAX = 8 << 20;
let scratch = Buffer.alloc(0);

/**
 * One decompression context for the process: creating one per chunk cost more
 * than the decompression itself (1.7 ms vs 0.6 ms for a 0.9 MB chunk,
 * measured). Safe to share: `decompress` runs synchronously.
 */
let dctx: InstanceType<typeof binding.DCtx> | undefined;

/** Decodes one zstd chunk into `out` (its size is the limit); returns the decoded length. */
function zstdInto(out: Buffer, data: Buffer, rawLength: number): number {
  dctx ??= new binding.DCtx();
  try {
    return dctx.decompress(out, data);
  } catch (cause) {
    // A failed frame may leave the context mid-stream: start the next one clean.
    dctx = undefined;
    const tooBig = /too small/i.test((cause as Error).message);
    throw tooBig
      ? new ContentDecodeError('TOO_LARGE', `inflates beyond ${rawLength} bytes`, { cause })
      : new ContentDecodeError('BAD_CONTENT', `not valid zstd: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Decodes a chunk read back from the store, held to the `rawLength` its
 * ledger row gives (ingest checked it against the zstd frame header, or by a
 * decode, or by inflating gzip): the output may not exceed it and must reach
 * it. A zstd chunk is decoded here for the first time when its frame header
 * gave its size, so bytes that do not decode surface here as a
 * ContentDecodeError, costing no more than `rawLength` of memory.
 */
export async function decodeStored(encoding: ContentEncoding, data: Buffer, rawLength: number): Promise<Buffer> {
  const out = await decodeContent(encoding, data, rawLength);
  if (out.length !== rawLength) throw new ContentDecodeError('BAD_CONTENT', `decodes to ${out.length} bytes, not the ${rawLength} its ledger row says`);
  return out;
}
