import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, type FileHandle } from 'node:fs/promises';
import { fileBatch } from '@argus/native';
import path from 'node:path';
import { GroupedCall } from '../db/grouped-call.js';
import { assertSafeKey, ObjectCorruptError, ObjectNotFoundError, type ObjectStore } from './object-store.js';
import { decodePackHeader, encodePackHeader, PACK_HEADER_BYTES, PACK_MAX_DATA, packRecordBytes, packRecordIntact, packStamper, type PackRecordKind } from './pack-record.js';

/** The newest record of a key: its stamp, and where it sits (pack, header offset, whole length); no pack for a delete. */
interface Loc { stamp: number; pack: string | null; at: number; bytes: number }
interface Pending { kind: PackRecordKind; key: string; data: Uint8Array }
/** How far another writer's pack has been read; `done` once its seal record is read. */
interface Scan { at: number; done: boolean }

export interface PackObjectStoreOptions {
  /** A pack is sealed and a new one started once it holds this many bytes (default 256 MiB). */
  packBytes?: number;
  /** Objects stored one file per key by earlier versions: read (and deleted) there when no pack has them. */
  legacy?: ObjectStore;
}

const EMPTY = new Uint8Array(0);
/** Header plus the longest key assertSafeKey allows: one read covers both. */
const HEAD_READ = PACK_HEADER_BYTES + 1024;

/**
 * ObjectStore on a local directory of pack files (ADR 0015): objects are
 * appended to this store's own pack as records (pack-record.ts), many puts at
 * once in one write and one fdatasync, instead of a file, a directory entry
 * and an fsync for each. A put returns once its record is on disk.
 *
 * Packs are `{writer}-{seq}.open` while their writer appends and are renamed
 * `.pack` once sealed; each store instance (each hub process) writes only its
 * own, so hubs sharing the directory never write the same file. Keys another
 * process wrote are found by reading the packs this instance has not read yet
 * (the first time a key is missing, and before `list`); unsealed packs are
 * read record by record with the CRC checked, so a crashed writer's torn tail
 * is never indexed. `get` checks the CRC of what it returns.
 *
 * Each record carries a stamp (its writer's clock, rising within a writer);
 * of two records for one key the higher stamp wins, a delete included. Space
 * held by deleted or overwritten objects is not reclaimed: the hub never
 * deletes or overwrites chunks.
 */
export class PackObjectStore implements ObjectStore {
  private readonly index = new Map<string, Loc>();
  private readonly scans = new Map<string, Scan>();
  private readonly writer = `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`;
  private readonly packBytes: number;
  private readonly stamp = packStamper();
  private seq = 0;
  private active: { id: string; file: string; size: number } | undefined;
  private dirReady = false;
  private closed = false;
  private readonly append = new GroupedCall<Pending, null>((recs) => this.writeGroup(recs), 256);
  private readonly rescan = new GroupedCall<null, null>(async (xs) => {
    await this.scanOthers();
    return xs.map(() => null);
  });

  constructor(private readonly dir: string, private readonly opts: PackObjectStoreOptions = {}) {
    this.packBytes = opts.packBytes ?? 256 * 1024 * 1024;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    assertSafeKey(key);
    // Refused here, alone, rather than failing the whole group it would join.
    if (data.length > PACK_MAX_DATA) throw new RangeError(`object ${key} of ${data.length} bytes is over the pack store's ${PACK_MAX_DATA}`);
    await this.append.call({ kind: 'put', key, data });
  }

  async get(key: string): Promise<Buffer> {
    assertSafeKey(key);
    const loc = await this.locate(key);
    if (!loc?.pack) {
      if (this.opts.legacy) return this.opts.legacy.get(key);
      throw new ObjectNotFoundError(key);
    }
    const rec = await this.readAt(loc.pack, loc.at, loc.bytes);
    const keyBytes = Buffer.byteLength(key);
    if (rec.length !== loc.bytes || !packRecordIntact(rec) || rec.toString('latin1', PACK_HEADER_BYTES, PACK_HEADER_BYTES + keyBytes) !== key) {
      throw new ObjectCorruptError(key, `pack ${loc.pack} at byte ${loc.at} fails its CRC`);
    }
    return rec.subarray(PACK_HEADER_BYTES + keyBytes);
  }

  async has(key: string): Promise<boolean> {
    assertSafeKey(key);
    if ((await this.locate(key))?.pack) return true;
    return this.opts.legacy ? this.opts.legacy.has(key) : false;
  }

  async list(prefix: string): Promise<string[]> {
    await this.rescan.call(null);
    const keys = new Set<string>();
    for (const [k, loc] of this.index) if (loc.pack && k.startsWith(prefix)) keys.add(k);
    if (this.opts.legacy) for (const k of await this.opts.legacy.list(prefix)) keys.add(k);
    return [...keys].sort();
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.append.call({ kind: 'delete', key, data: EMPTY });
    await this.opts.legacy?.delete(key);
  }

  /** Seals this instance's pack. Puts after close fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.append.call({ kind: 'seal', key: '', data: EMPTY }).catch(() => undefined);
  }

  /** The key's newest record; read what other writers appended first when this instance has none that holds it. */
  private async locate(key: string): Promise<Loc | undefined> {
    const hit = this.index.get(key);
    if (hit?.pack) return hit;
    await this.rescan.call(null);
    return this.index.get(key);
  }

  /** Keeps the record with the higher stamp (a delete is kept too, so an older put read later cannot bring the key back). */
  private remember(key: string, loc: Loc): void {
    const had = this.index.get(key);
    if (!had || loc.stamp >= had.stamp) this.index.set(key, loc);
  }

  // --- writing ---------------------------------------------------------------

  /** One group: every record in one vectored write at the end of the pack, then one fdatasync. */
  private async writeGroup(recs: Pending[]): Promise<null[]> {
    const sealing = recs.some((r) => r.kind === 'seal');
    if (this.closed && !sealing) throw new Error('object store is closed');
    const puts = recs.filter((r) => r.kind !== 'seal');
    if (puts.length > 0) {
      const pack = await this.packFor(puts.reduce((n, r) => n + PACK_HEADER_BYTES + r.key.length + r.data.length, 0));
      const bufs: Uint8Array[] = [];
      const locs: Loc[] = [];
      let at = pack.size;
      for (const r of puts) {
        const key = Buffer.from(r.key, 'latin1');
        const stamp = this.stamp();
        const head = encodePackHeader(r.kind, key, r.data, stamp);
        bufs.push(head, key);
        if (r.data.length > 0) bufs.push(r.data);
        const bytes = head.length + key.length + r.data.length;
        locs.push({ stamp, pack: r.kind === 'put' ? pack.id : null, at, bytes });
        at += bytes;
      }
      await this.writeDurably(pack, bufs, at - pack.size);
      puts.forEach((r, i) => this.remember(r.key, locs[i] as Loc));
    }
    if (sealing) await this.seal();
    return recs.map(() => null);
  }

  /**
   * Appends in one task on the libuv pool: open, one vectored write, fdatasync,
   * then the pages are dropped from the page cache — gather reads a chunk once,
   * minutes later, and appending into fresh page-cache pages cost the hub
   * ≈ 0.3 ms of CPU per chunk (ADR 0015).
   */
  private async writeDurably(pack: NonNullable<PackObjectStore['active']>, bufs: Uint8Array[], bytes: number): Promise<void> {
    try {
      await fileBatch([{ op: 'append', path: pack.file, at: pack.size, data: bufs, evict: true }]);
      pack.size += bytes;
    } catch (err) {
      // The tail of this pack is unknown now: it is left unsealed (readers stop at a torn record) and the next group starts a new one.
      this.active = undefined;
      throw err;
    }
  }

  /** The pack to append `bytes` to: the active one, or a new one when it is full. */
  private async packFor(bytes: number): Promise<NonNullable<PackObjectStore['active']>> {
    if (this.active && this.active.size > 0 && this.active.size + bytes > this.packBytes) await this.seal();
    if (this.active) return this.active;
    if (!this.dirReady) {
      await mkdir(this.dir, { recursive: true });
      this.dirReady = true;
    }
    const id = `${this.writer}-${String(this.seq++).padStart(6, '0')}`;
    const file = path.join(this.dir, `${id}.open`);
    await (await open(file, 'wx')).close();
    this.active = { id, file, size: 0 };
    return this.active;
  }

  /** Ends the active pack with a seal record and names it `.pack`. */
  private async seal(): Promise<void> {
    const pack = this.active;
    if (!pack) return;
    await this.writeDurably(pack, [encodePackHeader('seal', Buffer.alloc(0), EMPTY, this.stamp())], PACK_HEADER_BYTES);
    this.active = undefined;
    await rename(pack.file, path.join(this.dir, `${pack.id}.pack`));
  }

  // --- reading ---------------------------------------------------------------

  /** `bytes` bytes at `at` of a pack, sealed or not (it may be renamed between the two tries). */
  private async readAt(pack: string, at: number, bytes: number): Promise<Buffer> {
    const first = this.active?.id === pack ? '.open' : '.pack';
    let fh: FileHandle;
    try {
      fh = await open(path.join(this.dir, pack + first), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      fh = await open(path.join(this.dir, pack + (first === '.open' ? '.pack' : '.open')), 'r');
    }
    try {
      const buf = Buffer.allocUnsafe(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, at);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /** Reads what other writers (other hubs, earlier runs) appended since the last scan. */
  private async scanOthers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const name of names.sort()) {
      const m = /^(.+)\.(open|pack)$/.exec(name);
      if (!m || (m[1] as string).startsWith(`${this.writer}-`)) continue;
      const id = m[1] as string;
      const scan = this.scans.get(id) ?? { at: 0, done: false };
      if (scan.done) continue;
      this.scans.set(id, scan);
      try {
        await this.scanPack(id, name, m[2] === 'pack', scan);
      } catch (err) {
        // Renamed from .open to .pack between readdir and open: the next scan reads it under its new name.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  /**
   * Indexes records from `scan.at` on. A sealed pack's headers are trusted (its
   * records were whole when sealed; `get` still checks each CRC); an open one's
   * records are read whole and CRC-checked, and the scan stops at the first
   * record that is not whole yet — a write in progress, or a crashed writer's tail.
   */
  private async scanPack(id: string, name: string, sealed: boolean, scan: Scan): Promise<void> {
    const fh = await open(path.join(this.dir, name), 'r');
    try {
      const size = (await fh.stat()).size;
      const head = Buffer.allocUnsafe(HEAD_READ);
      while (scan.at + PACK_HEADER_BYTES <= size) {
        const { bytesRead } = await fh.read(head, 0, Math.min(HEAD_READ, size - scan.at), scan.at);
        const h = decodePackHeader(head.subarray(0, bytesRead));
        if (!h || scan.at + packRecordBytes(h) > size || PACK_HEADER_BYTES + h.keyLength > bytesRead) return;
        const bytes = packRecordBytes(h);
        if (!sealed) {
          const rec = Buffer.allocUnsafe(bytes);
          const r = await fh.read(rec, 0, bytes, scan.at);
          if (r.bytesRead !== bytes || !packRecordIntact(rec)) return;
        }
        const key = head.toString('latin1', PACK_HEADER_BYTES, PACK_HEADER_BYTES + h.keyLength);
        if (h.kind === 'seal') {
          scan.done = true;
          return;
        }
        this.remember(key, { stamp: h.stamp, pack: h.kind === 'put' ? id : null, at: scan.at, bytes });
        scan.at += bytes;
      }
    } finally {
      await fh.close();
    }
  }
}
