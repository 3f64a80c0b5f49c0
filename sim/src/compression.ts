/**
 * Chunk compressors for the MCAP writer: zstd (zstd-napi) and lz4 in LZ4 frame
 * format (MCAP spec: chunk compression "lz4" means an LZ4 frame, not a raw block).
 */
import { createRequire } from 'node:module';
import zstd from 'zstd-napi';

/** Chunk compression choice. */
export type Compression = 'zstd' | 'lz4' | 'none';

/** A compressor as McapWriter's `compressChunk` option expects it. */
export type ChunkCompressor = (data: Uint8Array) => { compression: string; compressedData: Uint8Array };

const require = createRequire(import.meta.url);

interface Lz4Module {
  /** Encodes a whole buffer as an LZ4 frame (magic 04 22 4D 18). */
  encode(input: Buffer, options?: { blockMaxSize?: number; streamChecksum?: boolean }): Buffer;
}

let lz4: Lz4Module | undefined;

/**
 * The chunk compressor for a compression choice, or `undefined` for none.
 *
 * @param level - zstd level (default 3, zstd's own default)
 */
export function chunkCompressor(compression: Compression, level = 3): ChunkCompressor | undefined {
  switch (compression) {
    case 'none':
      return undefined;
    case 'zstd':
      return (data) => ({ compression: 'zstd', compressedData: zstd.compress(data, { compressionLevel: level }) });
    case 'lz4': {
      lz4 ??= require('lz4') as Lz4Module;
      const mod = lz4;
      return (data) => ({
        compression: 'lz4',
        compressedData: mod.encode(Buffer.from(data.buffer, data.byteOffset, data.byteLength)),
      });
    }
  }
}
