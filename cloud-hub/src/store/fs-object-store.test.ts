import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from './fs-object-store.js';

/** Every file under `dir`, relative. */
async function files(dir: string): Promise<string[]> {
  const out = await readdir(dir, { recursive: true, withFileTypes: true });
  return out.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('FsObjectStore on the filesystem', () => {
  it('creates a directory again when it was removed behind its back', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'argus-fs-store-'));
    const s = new FsObjectStore(root);
    await s.put('batches/b1/a', Buffer.from('one'));
    await rm(path.join(root, 'batches'), { recursive: true });
    await s.put('batches/b1/b', Buffer.from('two'));
    expect((await s.get('batches/b1/b')).toString()).toBe('two');
    expect(await files(root)).toEqual(['batches/b1/b']);
  });

  it('fails one put of a group with an fs error naming its file, stores the others, and leaves no temp file', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'argus-fs-store-'));
    const s = new FsObjectStore(root);
    await s.put('x/seed', Buffer.from('seed'));
    // `blocked` is a file where the failing put needs a directory.
    await writeFile(path.join(root, 'x', 'blocked'), 'not a directory');
    const keys = Array.from({ length: 20 }, (_, i) => `x/ok-${i}`);
    const results = await Promise.allSettled([...keys.map((k) => s.put(k, Buffer.from(k))), s.put('x/blocked/inner', Buffer.from('no'))]);
    expect(results.slice(0, 20).every((r) => r.status === 'fulfilled')).toBe(true);
    const failed = results[20] as PromiseRejectedResult;
    expect(failed.status).toBe('rejected');
    expect((failed.reason as NodeJS.ErrnoException).code).toMatch(/ENOTDIR|EEXIST/);
    for (const k of keys) expect((await s.get(k)).toString()).toBe(k);
    expect((await files(root)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
