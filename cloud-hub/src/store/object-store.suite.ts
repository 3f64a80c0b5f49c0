import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ObjectNotFoundError, objectKeys, type ObjectStore } from './object-store.js';

/**
 * The one contract every ObjectStore must meet, run against each implementation
 * (as aedes-persistence tests every backend with one abstract suite).
 */
export function objectStoreSuite(name: string, make: () => Promise<ObjectStore>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    it('puts, gets, overwrites and deletes', async () => {
      const s = await make();
      const key = `t/${randomUUID()}/a.bin`;
      expect(await s.has(key)).toBe(false);
      await s.put(key, Buffer.from([1, 2, 3]));
      expect(await s.has(key)).toBe(true);
      expect([...(await s.get(key))]).toEqual([1, 2, 3]);
      await s.put(key, Buffer.from('second'));
      expect((await s.get(key)).toString()).toBe('second');
      await s.delete(key);
      expect(await s.has(key)).toBe(false);
      await expect(s.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('stores binary and empty objects byte for byte', async () => {
      const s = await make();
      const bytes = Buffer.alloc(300_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
      const k1 = `t/${randomUUID()}/bin`;
      const k2 = `t/${randomUUID()}/empty`;
      await s.put(k1, bytes);
      await s.put(k2, new Uint8Array(0));
      expect((await s.get(k1)).equals(bytes)).toBe(true);
      expect((await s.get(k2)).length).toBe(0);
    });

    it('lists keys under a prefix, sorted', async () => {
      const s = await make();
      const b = randomUUID();
      const keys = [objectKeys.chunk(b, 't001', 2, 'b'.repeat(64), 'gzip'), objectKeys.chunk(b, 't000', 0, 'a'.repeat(64), 'gzip'), objectKeys.manifest(b)];
      for (const k of keys) await s.put(k, Buffer.from(k));
      expect(await s.list(objectKeys.batchPrefix(b))).toEqual([...keys].sort());
      expect(await s.list(`${objectKeys.batchPrefix(b)}files/t001/`)).toEqual([keys[0]]);
      expect(await s.list(`batches/${randomUUID()}/`)).toEqual([]);
    });

    it('stores every one of many concurrent puts (group flush) and leaves no temp objects', async () => {
      const s = await make();
      const base = `c/${randomUUID()}`;
      const keys = Array.from({ length: 60 }, (_, i) => `${base}/${i % 7}/o${i}.bin`);
      await Promise.all(keys.map((k, i) => s.put(k, Buffer.from(`object ${i}`))));
      const back = await Promise.all(keys.map((k) => s.get(k)));
      expect(back.map((b) => b.toString())).toEqual(keys.map((_, i) => `object ${i}`));
      expect(await s.list(`${base}/`)).toEqual([...keys].sort());
    });

    it('refuses keys that could escape the store', async () => {
      const s = await make();
      for (const k of ['../x', 'a/../../x', '/abs', 'a//b', 'a/./b', 'sp ace']) {
        await expect(s.put(k, Buffer.from('x'))).rejects.toThrow(/unsafe object key/);
      }
    });
  });
}
