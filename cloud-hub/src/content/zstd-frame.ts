/**
 * Reads the structure of zstd data without decoding it (RFC 8878 §3.1): the
 * frame header, then each block's 3-byte header, skipping the block bodies.
 * It costs microseconds for a 1 MiB chunk where a decode costs about 0.6 ms,
 * and it tells what ingest needs to know before storing a chunk: whether the
 * bytes are one well-formed frame, and how large the frame says its content
 * is. Whether the blocks' entropy-coded bodies really decode to that size is
 * left to the decoder, which checks it (gather decodes every chunk once).
 */

/** Largest content of one block, whatever the window (RFC 8878 §3.1.1.2.3: Block_Maximum_Size ≤ 128 KiB). */
export const ZSTD_BLOCK_MAX = 128 * 1024;

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/** What one frame's headers say. */
export interface ZstdFrameShape {
  /** Frame_Content_Size, or undefined when the header leaves it out. */
  contentSize: number | undefined;
  /** Bytes of the frame: header, blocks, and the checksum when present. */
  frameBytes: number;
  /** Fewest and most bytes its blocks can decode to (raw and RLE blocks say; a compressed block is at most ZSTD_BLOCK_MAX). */
  minContent: number;
  maxContent: number;
  /** Dictionary_ID, 0 when none. */
  dictionaryId: number;
  blocks: number;
}

/** The bytes are not a well-formed zstd frame; `offset` is where reading stopped. */
export class ZstdFrameError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (byte ${offset})`);
    this.name = 'ZstdFrameError';
  }
}

/**
 * Reads the frame that starts at `at`. Throws ZstdFrameError when the header
 * or a block header is invalid, a block runs past the end of `data`, or the
 * size the header gives cannot be produced by the blocks.
 */
export function readZstdFrame(data: Uint8Array, at = 0): ZstdFrameShape {
  const need = (n: number, what: string, pos: number): void => {
    if (pos + n > data.length) throw new ZstdFrameError(`truncated zstd frame: ${what} needs ${n} bytes, ${data.length - pos} left`, pos);
  };
  need(4, 'the magic number', at);
  const magic = u32(data, at);
  if (magic !== FRAME_MAGIC) throw new ZstdFrameError(`not a zstd frame: magic number 0x${magic.toString(16).padStart(8, '0')}`, at);
  let p = at + 4;
  need(1, 'the frame header descriptor', p);
  const fhd = data[p++]!;
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd & 0x20) !== 0;
  if ((fhd & 0x08) !== 0) throw new ZstdFrameError('zstd frame header has its reserved bit set', p - 1);
  const hasChecksum = (fhd & 0x04) !== 0;
  const dictBytes = [0, 1, 2, 4][fhd & 0x03]!;
  const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
  need((singleSegment ? 0 : 1) + dictBytes + fcsBytes, 'the frame header', p);
  if (!singleSegment) p++; // Window_Descriptor: the decoder's memory, not the content's size.
  let dictionaryId = 0;
  for (let i = 0; i < dictBytes; i++) dictionaryId += data[p + i]! * 2 ** (8 * i);
  p += dictBytes;
  let contentSize: number | undefined;
  if (fcsBytes > 0) {
    let v = 0;
    for (let i = 0; i < fcsBytes; i++) v += data[p + i]! * 2 ** (8 * i);
    contentSize = fcsBytes === 2 ? v + 256 : v;
    p += fcsBytes;
  }
  let minContent = 0;
  let maxContent = 0;
  let blocks = 0;
  for (let last = false; !last; ) {
    need(3, 'a block header', p);
    const h = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
    last = (h & 1) === 1;
    const type = (h >> 1) & 3;
    const size = h >>> 3;
    if (type === 3) throw new ZstdFrameError('zstd block of the reserved type', p);
    if (size > ZSTD_BLOCK_MAX) throw new ZstdFrameError(`zstd block of ${size} bytes, more than ${ZSTD_BLOCK_MAX}`, p);
    p += 3;
    const body = type === 1 ? 1 : size; // RLE: one byte repeated `size` times
    need(body, 'a block', p);
    p += body;
    if (type === 2) {
      maxContent += ZSTD_BLOCK_MAX;
    } else {
      minContent += size;
      maxContent += size;
    }
    blocks++;
  }
  if (hasChecksum) {
    need(4, 'the content checksum', p);
    p += 4;
  }
  if (contentSize !== undefined && (contentSize < minContent || contentSize > maxContent)) {
    throw new ZstdFrameError(`zstd frame says ${contentSize} bytes of content, its ${blocks} blocks make ${minContent === maxContent ? minContent : `${minContent} to ${maxContent}`}`, at + 4);
  }
  return { contentSize, frameBytes: p - at, minContent, maxContent, dictionaryId, blocks };
}

/**
 * What the structure of a whole chunk tells ingest:
 * - `sized`: one frame, no dictionary, ending exactly where the data ends,
 *   whose header gives its content size (the edge agent's chunks are so);
 * - `unsized`: well-formed as far as read, but only a decode can tell its
 *   size (a header without the size, more than one frame, skippable frames);
 * - a thrown ZstdFrameError: the bytes cannot decode.
 */
export function zstdChunkShape(data: Uint8Array): { kind: 'sized'; contentSize: number } | { kind: 'unsized' } {
  if (data.length >= 4 && ((u32(data, 0) & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) return { kind: 'unsized' };
  const f = readZstdFrame(data);
  if (f.dictionaryId !== 0) throw new ZstdFrameError(`zstd frame needs dictionary ${f.dictionaryId}; chunks are compressed without one`, 4);
  if (f.contentSize === undefined || f.frameBytes !== data.length) return { kind: 'unsized' };
  return { kind: 'sized', contentSize: f.contentSize };
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
