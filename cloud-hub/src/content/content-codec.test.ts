import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress } from 'zstd-napi';
import { ContentDecodeError, decodeContent, decodeStored, encodingOfKey } from './content-codec.js';
import { CHUNK_SUFFIX, objectKeys } from '../store/object-store.js';

const csv = Buffer.from('log_time_ns,publish_time_ns,sequence,v\r\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i},${i},${(i * 0.37).toFixed(3)}`).join('\r\n'));

async function decodeError(p: Promise<unknown>): Promise<ContentDecodeError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ContentDecodeError);
  return e as ContentDecodeError;
}

describe('chunk content codecs', () => {
  it.each([
    ['gzip' as const, gzipSync(csv)],
    ['zstd' as const, compress(csv, { compressionLevel: 1 })],
    ['identity' as const, csv],
  ])('decodes %s to the exact CSV, and back from the store', async (enc, bytes) => {
    expect((await decodeContent(enc, bytes, csv.length)).equals(csv)).toBe(true);
    const key = objectKeys.chunk('00000000-0000-4000-8000-000000000000', 't000', 0, 'a'.repeat(64), enc);
    expect(key.endsWith(`.csv${CHUNK_SUFFIX[enc]}`)).toBe(true);
    expect(encodingOfKey(key)).toBe(enc);
    expect((await decodeStored(encodingOfKey(key), bytes, csv.length)).equals(csv)).toBe(true);
  });

  it.each([['gzip' as const], ['zstd' as const]])('refuses a %s bomb at the declared raw length without inflating it', async (enc) => {
    const bomb = Buffer.alloc(256 * 1024 * 1024);
    const packed = enc === 'gzip' ? gzipSync(bomb, { level: 9 }) : compress(bomb, { compressionLevel: 3 });
    expect(packed.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const e = await decodeError(decodeContent(enc, packed, 1000));
    expect(e.code).toBe('TOO_LARGE');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it.each([['gzip' as const], ['zstd' as const]])('names %s garbage as BAD_CONTENT', async (enc) => {
    const e = await decodeError(decodeContent(enc, Buffer.from('this is not compressed at all'), 100));
    expect(e.code).toBe('BAD_CONTENT');
    expect(e.message).toContain(enc);
  });

  it('refuses a truncated zstd frame', async () => {
    const z = compress(csv, { compressionLevel: 1 });
    const e = await decodeError(decodeContent('zstd', z.subarray(0, z.length - 10), csv.length));
    expect(e.code).toBe('BAD_CONTENT');
  });
});

describe('decodeStored', () => {
  it('decodes a stored zstd chunk of one frame and of several concatenated frames', async () => {
    const a = Buffer.from('log_time_ns,x\r\n1,2\r\n'.repeat(200));
    const b = Buffer.from('3,4\r\n'.repeat(300));
    expect((await decodeStored('zstd', compress(a), a.length)).equals(a)).toBe(true);
    const two = Buffer.concat([compress(a), compress(b)]);
    expect((await decodeStored('zstd', two, a.length + b.length)).equals(Buffer.concat([a, b]))).toBe(true);
    expect((await decodeStored('zstd', compress(a, { contentSizeFlag: false }), a.length)).equals(a)).toBe(true);
  });

  it('holds every encoding to the ledger\'s raw length, short or long, and names bytes that do not decode', async () => {
    for (const [enc, bytes] of [['gzip', gzipSync(csv)], ['zstd', compress(csv)], ['identity', csv]] as const) {
      expect((await decodeError(decodeStored(enc, bytes, csv.length + 1))).message).toMatch(new RegExp(`decodes to ${csv.length} bytes, not the ${csv.length + 1}|not valid`));
      expect((await decodeError(decodeStored(enc, bytes, csv.length - 1))).code).toMatch(/TOO_LARGE|BAD_CONTENT/);
    }
    // A frame whose header is intact and whose first block's body is not: only a decode finds it.
    const z = compress(csv, { compressionLevel: 1 });
    const corrupt = Buffer.from(z);
    corrupt.fill(0x5a, 40, 400);
    const e = await decodeError(decodeStored('zstd', corrupt, csv.length));
    expect(e.code).toBe('BAD_CONTENT');
    expect(e.message).toMatch(/not valid zstd/);
  });
});
