// fileBatch: file operations run in order in one pool task, with fs-shaped errors.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fileBatch, type FileOp } from './index.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'argus-file-batch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fileBatch', () => {
  it('writes, patches, renames and fsyncs in order', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x61);  // several writev rounds on some systems
    await mkdir(path.join(dir, 'out'));
    await fileBatch([
      { op: 'write', path: path.join(dir, 'a'), data: [Buffer.from('HEAD'), big, new Uint8Array(0), Buffer.from('!')] },
      { op: 'write', path: path.join(dir, 'b'), data: [] },
      { op: 'patch', path: path.join(dir, 'a'), at: 1, data: Buffer.from('xy'), renameTo: path.join(dir, 'out', 'a') },
      { op: 'fsync', path: path.join(dir, 'out', 'a') },
      { op: 'fsync', path: path.join(dir, 'out') },
    ]);
    const a = await readFile(path.join(dir, 'out', 'a'));
    expect(a.length).toBe(4 + big.length + 1);
    expect(a.subarray(0, 4).toString()).toBe('HxyD');
    expect(a.subarray(4, 4 + big.length).equals(big)).toBe(true);
    expect(a.subarray(-1).toString()).toBe('!');
    expect((await readFile(path.join(dir, 'b'))).length).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['b', 'out']);
  });

  it('truncates a file it writes over', async () => {
    const f = path.join(dir, 'f');
    await writeFile(f, 'a much longer old content');
    await fileBatch([{ op: 'write', path: f, data: [Buffer.from('new')] }]);
    expect(await readFile(f, 'utf8')).toBe('new');
  });

  it('stops at the first failure with an fs-shaped error; the ops before it took effect', async () => {
    const ops: FileOp[] = [
      { op: 'write', path: path.join(dir, 'first'), data: [Buffer.from('1')] },
      { op: 'patch', path: path.join(dir, 'missing'), at: 0, data: Buffer.from('x') },
      { op: 'write', path: path.join(dir, 'never'), data: [Buffer.from('2')] },
    ];
    const err = await fileBatch(ops).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'ENOENT', syscall: 'open', path: path.join(dir, 'missing'), errno: -2 });
    expect((err as Error).message).toBe(`ENOENT: no such file or directory, open '${path.join(dir, 'missing')}'`);
    expect((await readdir(dir)).sort()).toEqual(['first']);
  });

  it('appends buffers at an offset of an existing file, durably, and reads back the same with its pages evicted', async () => {
    const f = path.join(dir, 'log');
    await writeFile(f, 'HEAD');
    const many = Array.from({ length: 1500 }, (_, i) => Buffer.from(`<${i}>`));  // more than IOV_MAX buffers
    const big = Buffer.alloc(2 * 1024 * 1024 + 3, 0x62);
    await fileBatch([{ op: 'append', path: f, at: 4, data: many, evict: true }]);
    const at = 4 + Buffer.concat(many).length;
    await fileBatch([{ op: 'append', path: f, at, data: [big, new Uint8Array(0), Buffer.from('!')] }]);
    const back = await readFile(f);
    expect(back.subarray(0, at).toString()).toBe(`HEAD${many.join('')}`);
    expect(back.subarray(at, at + big.length).equals(big)).toBe(true);
    expect(back.length).toBe(at + big.length + 1);
    // Appending never creates the file: a pack that vanished is an error, not a new empty pack.
    const err = await fileBatch([{ op: 'append', path: path.join(dir, 'gone'), at: 0, data: [Buffer.from('x')] }]).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(err).toMatchObject({ code: 'ENOENT', syscall: 'open', path: path.join(dir, 'gone') });
  });

  it('reports a failed rename with its source and target', async () => {
    const f = path.join(dir, 'f');
    await writeFile(f, 'abc');
    const to = path.join(dir, 'no-such-dir', 'f');
    const err = await fileBatch([{ op: 'patch', path: f, at: 0, data: Buffer.from('z'), renameTo: to }]).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(err).toMatchObject({ code: 'ENOENT', syscall: 'rename', path: f, dest: to });
    expect(await readFile(f, 'utf8')).toBe('zbc');  // the patch itself happened
  });

  it('reports what open says of a path that cannot be a file', async () => {
    await writeFile(path.join(dir, 'plain'), 'x');
    await mkdir(path.join(dir, 'sub'));
    const underFile = await fileBatch([{ op: 'write', path: path.join(dir, 'plain', 'x'), data: [] }]).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(underFile).toMatchObject({ code: 'ENOTDIR', syscall: 'open' });
    const isDir = await fileBatch([{ op: 'write', path: path.join(dir, 'sub'), data: [Buffer.from('a')] }]).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(isDir).toMatchObject({ code: 'EISDIR', syscall: 'open', path: path.join(dir, 'sub') });
  });

  it('refuses malformed ops before touching anything', async () => {
    const f = path.join(dir, 'f');
    const bad: unknown[] = [
      [{ op: 'write', path: f, data: [Buffer.from('a')] }, { op: 'delete', path: f }],
      [{ op: 'write', path: '', data: [] }],
      [{ op: 'write', path: f, data: ['text'] }],
      [{ op: 'patch', path: f, at: -1, data: Buffer.from('a') }],
      [{ op: 'patch', path: f, at: 1.5, data: Buffer.from('a') }],
      [{ op: 'patch', path: f, at: 0, data: Buffer.from('a'), renameTo: 7 }],
      [{ op: 'fsync', path: `${f}\0x` }],
      [{ op: 'append', path: f, data: [Buffer.from('a')] }],
      [{ op: 'append', path: f, at: 0, data: Buffer.from('a') }],
      [{ op: 'append', path: f, at: 0, data: [Buffer.from('a')], evict: 'yes' }],
      [null],
    ];
    for (const ops of bad) expect(() => fileBatch(ops as FileOp[]), JSON.stringify(ops)).toThrow(TypeError);
    expect(() => fileBatch('nope' as unknown as FileOp[])).toThrow(/expects an array/);
    expect(await readdir(dir)).toEqual([]);
  });
});
