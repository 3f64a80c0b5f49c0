/** One contract test suite for every ReadCache implementation. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadCache } from './read-cache.js';

/** Runs the ReadCache contract against `make()`. */
export function readCacheSuite(name: string, make: () => Promise<{ cache: ReadCache; stop?: () => Promise<void> }>): void {
  describe(`ReadCache contract: ${name}`, () => {
    let cache: ReadCache;
    let stop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ cache, stop } = await make());
    });
    afterAll(async () => {
      await cache?.close();
      await stop?.();
    });

    it('misses, stores, hits and deletes', async () => {
      const k = `k-${randomUUID()}`;
      expect(await cache.get(k)).toBeUndefined();
      await cache.set(k, '{"a":1}', 60_000);
      expect(await cache.get(k)).toBe('{"a":1}');
      await cache.del([k, `other-${randomUUID()}`]);
      expect(await cache.get(k)).toBeUndefined();
    });

    it('expires entries after their TTL', async () => {
      const k = `ttl-${randomUUID()}`;
      await cache.set(k, 'x', 50);
      expect(await cache.get(k)).toBe('x');
      await new Promise((r) => setTimeout(r, 120));
      expect(await cache.get(k)).toBeUndefined();
    });

    it('keeps values byte for byte (unicode, NUL)', async () => {
      const k = `u-${randomUUID()}`;
      const v = '\u0000null ü 🚗 "quoted"';
      await cache.set(k, v, 60_000);
      expect(await cache.get(k)).toBe(v);
    });
  });
}
