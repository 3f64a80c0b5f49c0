import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compress, CompressStream } from 'zstd-napi';
import { readZstdFrame, ZSTD_BLOCK_MAX, zstdChunkShape, ZstdFrameError } from './zstd-frame.js';

function csv(rows: number, seed = 1): Buffer {
  const lines = ['t,a,b'];
  for (let i = 0; i < rows; i++) lines.push(`${i * 10_000_000 + seed},${(Math.sin(i / 30 + seed) * 40).toFixed(3)},${(i * 7919 + seed) % 1000}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function streamed(raw: Buffer): Promise<Buffer> {
  const s = new CompressStream({ compressionLevel: 1 });
  const parts: Buffer[] = [];
  s.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((r) => s.on('end', r));
  s.end(raw);
  await done;
  return Buffer.concat(parts);
}

function frameError(f: () => unknown): ZstdFrameError {
  try {
    f();
  } catch (err) {
    if (err instanceof ZstdFrameError) return err;
    throw err;
  }
  throw new Error('no ZstdFrameError thrown');
}

describe('readZstdFrame', () => {
  it('reads the size and the block layout of frames zstd writes, whatever the content and options', () => {
    const cases: Array<[string, Buffer, Parameters<typeof compress>[1]]> = [
      ['CSV, level 1', csv(15_000), { compressionLevel: 1 }],
      ['CSV, level 19, checksum', csv(3_000), { compressionLevel: 19, checksumFlag: true }],
      ['incompressible (raw blocks)', randomBytes(3 * ZSTD_BLOCK_MAX + 17), { compressionLevel: 1 }],
      ['one byte repeated (RLE blocks)', Buffer.alloc(5 * ZSTD_BLOCK_MAX, 0x30), { compressionLevel: 3 }],
      ['empty', Buffer.alloc(0), { compressionLevel: 1 }],
      ['one byte', Buffer.from('x'), { compressionLevel: 1 }],
      ['300 bytes (2-byte size field)', csv(20).subarray(0, 300), { compressionLevel: 1 }],
    ];
    for (const [name, raw, opts] of cases) {
      const z = compress(raw, opts);
      const f = readZstdFrame(z);
      expect(f.contentSize, name).toBe(raw.length);
      expect(f.frameBytes, name).toBe(z.length);
      expect(f.minContent, name).toBeLessThanOrEqual(raw.length);
      expect(f.maxContent, name).toBeGreaterThanOrEqual(raw.length);
      expect(f.blocks, name).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(raw.length / ZSTD_BLOCK_MAX)));
      expect(zstdChunkShape(z), name).toEqual({ kind: 'sized', contentSize: raw.length });
    }
    // Raw blocks pin the size exactly; zstd writes one repeated byte as a compressed block, then RLE blocks.
    const noise = randomBytes(3 * ZSTD_BLOCK_MAX + 17);
    const raw = readZstdFrame(compress(noise, { compressionLevel: 1 }));
    expect([raw.minContent, raw.maxContent]).toEqual([noise.length, noise.length]);
    const rle = readZstdFrame(compress(Buffer.alloc(5 * ZSTD_BLOCK_MAX, 0x30), { compressionLevel: 3 }));
    expect([rle.blocks, rle.minContent, rle.maxContent]).toEqual([5, 4 * ZSTD_BLOCK_MAX, 5 * ZSTD_BLOCK_MAX]);
  });

  it('reads a frame without a content size (a stream) and says only a decode can tell its size', async () => {
    const raw = csv(20_000);
    const z = await streamed(raw);
    const f = readZstdFrame(z);
    expect(f.contentSize).toBeUndefined();
    expect(f.frameBytes).toBe(z.length);
    expect(f.maxContent).toBeGreaterThanOrEqual(raw.length);
    expect(zstdChunkShape(z)).toEqual({ kind: 'unsized' });
    expect(zstdChunkShape(compress(raw, { contentSizeFlag: false }))).toEqual({ kind: 'unsized' });
  });

  it('leaves two frames, and a skippable frame, to the decoder', () => {
    const a = compress(csv(100, 1));
    const b = compress(csv(100, 2));
    expect(readZstdFrame(Buffer.concat([a, b])).frameBytes).toBe(a.length);
    expect(readZstdFrame(Buffer.concat([a, b]), a.length).frameBytes).toBe(b.length);
    expect(zstdChunkShape(Buffer.concat([a, b]))).toEqual({ kind: 'unsized' });
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4]);
    expect(zstdChunkShape(Buffer.concat([skippable, a]))).toEqual({ kind: 'unsized' });
  });

  it('refuses what cannot decode, naming the byte where it stopped', () => {
    const z = compress(csv(15_000), { compressionLevel: 1, checksumFlag: true });
    expect(frameError(() => readZstdFrame(Buffer.from('this is not compressed at all'))).message).toMatch(/not a zstd frame: magic number 0x73696874 \(byte 0\)/);
    expect(frameError(() => readZstdFrame(z.subarray(0, 3))).message).toMatch(/truncated zstd frame: the magic number/);
    expect(frameError(() => readZstdFrame(z.subarray(0, z.length - 1))).message).toMatch(/truncated zstd frame: the content checksum needs 4 bytes, 3 left/);
    expect(frameError(() => readZstdFrame(z.subarray(0, z.length - 1000))).message).toMatch(/truncated zstd frame: a block needs/);
    const reserved = Buffer.from(z);
    reserved[4]! |= 0x08;
    expect(frameError(() => readZstdFrame(reserved)).offset).toBe(4);
    // A block header of the reserved type, right after the header of this frame.
    const headerBytes = headerLength(z);
    const badType = Buffer.from(z);
    badType[headerBytes] = (badType[headerBytes]! & ~0x06) | 0x06;
    expect(frameError(() => readZstdFrame(badType)).message).toMatch(new RegExp(`reserved type \\(byte ${headerBytes}\\)`));
  });

  it('refuses a header whose size its blocks cannot make (a bomb that lies)', () => {
    // 640 KiB of one byte: four of its five blocks are RLE blocks of 128 KiB. The header is made to say 1000 bytes.
    const z = compress(Buffer.alloc(5 * ZSTD_BLOCK_MAX, 0x30), { compressionLevel: 3 });
    const lie = withContentSize(z, 1000);
    expect(frameError(() => readZstdFrame(lie)).message).toMatch(/says 1000 bytes of content, its 5 blocks make 524288 to 655360 \(byte 4\)/);
    // A size beyond what any block layout can make.
    const csvFrame = compress(csv(1000));
    const big = withContentSize(csvFrame, readZstdFrame(csvFrame).maxContent + 1);
    expect(frameError(() => readZstdFrame(big)).message).toMatch(/says \d+ bytes of content, its \d+ blocks make \d+ to \d+/);
  });

  it('answers every mutation of a frame with a shape or a ZstdFrameError, never anything else', () => {
    const z = compress(csv(2_000), { compressionLevel: 1, checksumFlag: true });
    let rng = 12345;
    const rand = (n: number): number => ((rng = (rng * 1103515245 + 12345) >>> 0) % n);
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const m = Buffer.from(z.subarray(0, i % 7 === 0 ? rand(z.length) : z.length));
      for (let k = 0; k < 1 + rand(4); k++) if (m.length > 0) m[rand(Math.min(m.length, 64))] = rand(256);
      try {
        const f = readZstdFrame(m);
        expect(f.frameBytes).toBeLessThanOrEqual(m.length);
      } catch (err) {
        expect(err).toBeInstanceOf(ZstdFrameError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('refuses a frame that needs a dictionary', () => {
    const z = compress(csv(100));
    // Rewrite the header with a 1-byte dictionary id: descriptor bits 0-1 = 1, id byte after the window descriptor (if any).
    const fhd = z[4]!;
    const single = (fhd & 0x20) !== 0;
    const at = single ? 5 : 6;
    const withDict = Buffer.concat([z.subarray(0, 4), Buffer.from([fhd | 0x01]), z.subarray(5, at), Buffer.from([7]), z.subarray(at)]);
    expect(readZstdFrame(withDict).dictionaryId).toBe(7);
    expect(frameError(() => zstdChunkShape(withDict)).message).toMatch(/needs dictionary 7/);
  });
});

/** Bytes of a frame's header: where its first block header is. */
function headerLength(z: Buffer): number {
  const fhd = z[4]!;
  const single = (fhd & 0x20) !== 0;
  const fcsFlag = fhd >> 6;
  return 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 0x03]! + (fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!);
}

/** The same frame with its content size field rewritten to `size` (as an 8-byte field, not single-segment). */
function withContentSize(z: Buffer, size: number): Buffer {
  const fhd = z[4]!;
  const single = (fhd & 0x20) !== 0;
  const dictBytes = [0, 1, 2, 4][fhd & 0x03]!;
  const afterDesc = 5 + (single ? 0 : 1);
  const window = single ? Buffer.from([0x58]) : z.subarray(5, 6); // 2^21-byte window when the frame had none
  const fcs = Buffer.alloc(8);
  fcs.writeBigUInt64LE(BigInt(size));
  const desc = (0xc0 | (fhd & 0x0f)) & ~0x20; // 8-byte size field, not single-segment
  return Buffer.concat([z.subarray(0, 4), Buffer.from([desc]), window, z.subarray(afterDesc, afterDesc + dictBytes), fcs, z.subarray(headerLength(z))]);
}
