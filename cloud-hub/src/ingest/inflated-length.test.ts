import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipInflatedLength, InflateError } from './inflated-length.js';

describe('gzipInflatedLength', () => {
  it('answers the inflated size, like gunzip, for small, multi-slice and multi-member bodies', async () => {
    for (const raw of [Buffer.alloc(0), Buffer.from('a,b\n1,2\n'), Buffer.alloc(300_000, 'x'), Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251))]) {
      expect(await gzipInflatedLength(gzipSync(raw), 1 << 20)).toBe(raw.length);
    }
    const two = Buffer.concat([gzipSync(Buffer.alloc(1000, 'a')), gzipSync(Buffer.alloc(500, 'b'))]);
    expect(await gzipInflatedLength(two, 1 << 20)).toBe(gunzipSync(two).length);
  });

  it('stops a gzip bomb at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20));
    const err = await gzipInflatedLength(bomb, 1 << 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InflateError);
    expect((err as InflateError).code).toBe('TOO_LARGE');
    expect(await gzipInflatedLength(gzipSync(Buffer.alloc(1 << 20)), 1 << 20)).toBe(1 << 20); // exactly the limit is fine
  });

  it('refuses bytes that are not gzip, and truncated gzip', async () => {
    const good = gzipSync(Buffer.alloc(10_000, 'q'));
    for (const bad of [Buffer.from('not gzip at all'), good.subarray(0, good.length - 5), good.subarray(0, 12)]) {
      const err = await gzipInflatedLength(bad, 1 << 20).catch((e: unknown) => e);
      expect((err as InflateError).code).toBe('BAD_CONTENT');
    }
  });
});

describe('gzipInflatedLength with the expected size', () => {
  it('answers the true size whether the body matches, is shorter or longer than expected', async () => {
    const raw = Buffer.alloc(90_000, 'r');
    const gz = gzipSync(raw);
    expect(await gzipInflatedLength(gz, 1 << 20, raw.length)).toBe(raw.length);
    expect(await gzipInflatedLength(gz, 1 << 20, raw.length + 10)).toBe(raw.length);
    expect(await gzipInflatedLength(gz, 1 << 20, 1000)).toBe(raw.length); // longer: measured on the slow path
  });

  it('still refuses a bomb that lies about its size with TOO_LARGE, and bad bytes with BAD_CONTENT', async () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20));
    expect(((await gzipInflatedLength(bomb, 1 << 20, 1000).catch((e: unknown) => e)) as InflateError).code).toBe('TOO_LARGE');
    expect(((await gzipInflatedLength(Buffer.from('nope'), 1 << 20, 1000).catch((e: unknown) => e)) as InflateError).code).toBe('BAD_CONTENT');
  });
});
