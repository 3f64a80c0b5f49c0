import { appendFile, mkdtemp, readdir, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from './fs-object-store.js';
import { ObjectCorruptError, ObjectNotFoundError } from './object-store.js';
import { PackObjectStore } from './pack-object-store.js';

const tmp = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'argus-pack-'));
const packs = async (dir: string): Promise<string[]> => (await readdir(dir)).sort();

describe('PackObjectStore on pack files', () => {
  it('writes concurrent puts as one group into one pack file, not a file per object', async () => {
    const dir = await tmp();
    const s = new PackObjectStore(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.put(`batches/b${i % 5}/files/t000/${i}.csv.zst`, Buffer.from(`chunk ${i}`))));
    const names = await packs(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^[0-9a-z]{9}-[0-9a-f]{8}-000000\.open$/);
    await s.close();
    expect(await packs(dir)).toEqual([names[0]!.replace('.open', '.pack')]);
    await expect(s.put('after/close', Buffer.from('x'))).rejects.toThrow(/closed/);
  });

  it('lets hubs sharing the directory read what the other wrote, before and after it seals', async () => {
    const dir = await tmp();
    const a = new PackObjectStore(dir);
    const b = new PackObjectStore(dir);
    await a.put('batches/x/files/t000/0.csv', Buffer.from('from a'));
    expect((await b.get('batches/x/files/t000/0.csv')).toString()).toBe('from a');
    await b.put('batches/x/files/t000/1.csv', Buffer.from('from b'));
    expect((await a.get('batches/x/files/t000/1.csv')).toString()).toBe('from b');
    await a.put('batches/x/files/t000/2.csv', Buffer.from('a again'));
    await a.close();
    expect(await b.list('batches/x/')).toEqual(['batches/x/files/t000/0.csv', 'batches/x/files/t000/1.csv', 'batches/x/files/t000/2.csv']);
    await a.put('z', Buffer.from('no')).catch(() => undefined);
    // A third, started later (a restarted hub), reads the sealed pack and the open one.
    const c = new PackObjectStore(dir);
    expect((await c.get('batches/x/files/t000/2.csv')).toString()).toBe('a again');
    expect((await c.get('batches/x/files/t000/1.csv')).toString()).toBe('from b');
    // Across writers the record with the later stamp wins; stamps are milliseconds, so the delete comes a few ms after the put.
    await new Promise((r) => setTimeout(r, 5));
    await b.delete('batches/x/files/t000/0.csv');
    const d = new PackObjectStore(dir);
    expect(await d.has('batches/x/files/t000/0.csv')).toBe(false);
    expect(await d.list('batches/x/')).toEqual(['batches/x/files/t000/1.csv', 'batches/x/files/t000/2.csv']);
  });

  it('after a crash indexes only whole records: a torn tail is skipped, the records before it are kept', async () => {
    const dir = await tmp();
    const a = new PackObjectStore(dir);
    await a.put('k/0', Buffer.alloc(1000, 1));
    await a.put('k/1', Buffer.alloc(1000, 2));
    await a.put('k/2', Buffer.alloc(1000, 3));
    const [open] = await packs(dir);
    const file = path.join(dir, open!);
    const size = (await readFile(file)).length;
    // The crash cut the last record short (its header is whole, its data is not)...
    await truncate(file, size - 10);
    const b = new PackObjectStore(dir);
    expect((await b.get('k/1')).equals(Buffer.alloc(1000, 2))).toBe(true);
    await expect(b.get('k/2')).rejects.toBeInstanceOf(ObjectNotFoundError);
    // ...or the file reached its full length but the block never reached the disk (zeros).
    await truncate(file, size - 1000);
    await appendFile(file, Buffer.alloc(1000));
    const c = new PackObjectStore(dir);
    expect(await c.list('k/')).toEqual(['k/0', 'k/1']);
    // A writer that goes on after the torn tail is never the crashed one: a new hub writes its own pack.
    await c.put('k/2', Buffer.alloc(1000, 3));
    expect((await new PackObjectStore(dir).get('k/2')).equals(Buffer.alloc(1000, 3))).toBe(true);
  });

  it('refuses to return bytes that no longer match their CRC, naming the pack and offset', async () => {
    const dir = await tmp();
    const a = new PackObjectStore(dir);
    await a.put('first', Buffer.from('intact'));
    await a.put('second', Buffer.from('will rot'));
    await a.close();
    const [sealed] = await packs(dir);
    const file = path.join(dir, sealed!);
    const bytes = await readFile(file);
    const at = bytes.indexOf('will rot');
    bytes[at] = 'W'.charCodeAt(0);
    await writeFile(file, bytes);
    const b = new PackObjectStore(dir);
    expect((await b.get('first')).toString()).toBe('intact');
    const err = await b.get('second').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectCorruptError);
    expect((err as Error).message).toMatch(new RegExp(`object second: pack ${sealed!.replace('.pack', '')} at byte \\d+ fails its CRC`));
  });

  it('rolls to a new pack past packBytes and reads across all of them', async () => {
    const dir = await tmp();
    const a = new PackObjectStore(dir, { packBytes: 4096 });
    for (let i = 0; i < 20; i++) await a.put(`o/${String(i).padStart(2, '0')}`, Buffer.alloc(1000, i));
    const names = await packs(dir);
    expect(names.filter((n) => n.endsWith('.pack')).length).toBeGreaterThanOrEqual(4);
    expect(names.filter((n) => n.endsWith('.open'))).toHaveLength(1);
    const b = new PackObjectStore(dir);
    const keys = await b.list('o/');
    expect(keys).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect((await b.get(keys[i]!)).equals(Buffer.alloc(1000, i))).toBe(true);
  });

  it('still reads objects an earlier version stored one file per key, and deletes them there', async () => {
    const root = await tmp();
    const legacy = new FsObjectStore(path.join(root, 'objects'));
    await legacy.put('batches/old/manifest.json', Buffer.from('{"old":true}'));
    const s = new PackObjectStore(path.join(root, 'packs'), { legacy });
    await s.put('batches/old/files/t000/0.csv', Buffer.from('new'));
    expect((await s.get('batches/old/manifest.json')).toString()).toBe('{"old":true}');
    expect(await s.list('batches/old/')).toEqual(['batches/old/files/t000/0.csv', 'batches/old/manifest.json']);
    await s.delete('batches/old/manifest.json');
    expect(await legacy.has('batches/old/manifest.json')).toBe(false);
    await expect(s.get('batches/old/manifest.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('orders one key\'s records across writers by stamp, whichever pack is read first', async () => {
    const dir = await tmp();
    // Writer names sort by start time; "z…" sorts after "0…", so the older writer's pack is read last.
    const older = new PackObjectStore(dir);
    await older.put('k', Buffer.from('old'));
    await older.put('gone', Buffer.from('old'));
    await new Promise((r) => setTimeout(r, 5));
    const newer = new PackObjectStore(dir);
    await newer.put('k', Buffer.from('new'));
    await newer.delete('gone');
    const [olderPack, newerPack] = await packs(dir);
    expect(newerPack).toBeDefined();
    await rename(path.join(dir, olderPack!), path.join(dir, `z${olderPack!}`));
    const reader = new PackObjectStore(dir);
    expect((await reader.get('k')).toString()).toBe('new');
    expect(await reader.has('gone')).toBe(false);
    expect(await reader.list('')).toEqual(['k']);
  });

  it('refuses an object too large for a record on its own, without failing the puts it would have been grouped with', async () => {
    const s = new PackObjectStore(await tmp());
    const huge = { length: 2 ** 32 } as Uint8Array; // only its length is read before the refusal
    const [big, ok] = await Promise.allSettled([s.put('huge', huge), s.put('small', Buffer.from('fine'))]);
    expect(big.status === 'rejected' && String(big.reason)).toMatch(/RangeError: object huge of 4294967296 bytes is over/);
    expect(ok.status).toBe('fulfilled');
    expect((await s.get('small')).toString()).toBe('fine');
  });
});
