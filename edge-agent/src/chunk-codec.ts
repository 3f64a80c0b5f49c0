/**
 * How the agent compresses a CSV chunk before it enters the outbox. zstd at
 * level 1 is the default: on the reference drive it costs about a third of
 * gzip-1's CPU and its output is smaller (figures in docs/edge-agent.md).
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { compress } from 'zstd-napi';

const gzipAsync = promisify(gzip);

/** A chunk codec: the envelope's `content_encoding` and its level. */
export interface ChunkCodec {
  encoding: 'zstd' | 'gzip';
  /** zstd 1 … 19, gzip 1 … 9. */
  level: number;
}

export const DEFAULT_CODEC: ChunkCodec = { encoding: 'zstd', level: 1 };

/** Compresses one CSV chunk. gzip runs on the libuv pool; zstd-1 is fast enough (~3 ms/MB) to run inline. */
export async function encodeChunk(codec: ChunkCodec, csv: Buffer): Promise<Buffer> {
  if (codec.encoding === 'gzip') return gzipAsync(csv, { level: codec.level });
  return compress(csv, { compressionLevel: codec.level });
}
