import { describe, expect, it } from 'vitest';
import { decodePackHeader, encodePackHeader, PACK_HEADER_BYTES, packRecordBytes, packRecordIntact, packStamper } from './pack-record.js';

function record(key: string, data: Uint8Array): Buffer {
  const k = Buffer.from(key, 'latin1');
  return Buffer.concat([encodePackHeader('put', k, data, 1_700_000_000_000 * 2048), k, data]);
}

describe('pack records', () => {
  it('round-trips a header and checks the whole record', () => {
    const key = 'batches/b/files/t000/000001-aa.csv.zst';
    const rec = record(key, Buffer.from('payload bytes'));
    const h = decodePackHeader(rec);
    expect(h).toEqual({ kind: 'put', keyLength: key.length, dataLength: 13, stamp: 1_700_000_000_000 * 2048, crc: rec.readUInt32LE(20) });
    expect(rec.toString('latin1', PACK_HEADER_BYTES, PACK_HEADER_BYTES + key.length)).toBe(key);
    expect(packRecordBytes(h!)).toBe(rec.length);
    expect(packRecordIntact(rec)).toBe(true);
    expect(rec.subarray(0, 4).toString('latin1')).toBe('APK1');
  });

  it('reads delete and seal records, which carry no data', () => {
    const del = encodePackHeader('delete', Buffer.from('k'), new Uint8Array(0), 7);
    expect(decodePackHeader(del)?.kind).toBe('delete');
    expect(packRecordIntact(Buffer.concat([del, Buffer.from('k')]))).toBe(true);
    const seal = encodePackHeader('seal', Buffer.alloc(0), new Uint8Array(0), 8);
    expect(decodePackHeader(seal)).toMatchObject({ kind: 'seal', keyLength: 0, dataLength: 0 });
  });

  it('refuses what is not a header: short, zeros, a bad magic, kind or reserved byte', () => {
    const rec = record('k', Buffer.from('x'));
    expect(decodePackHeader(rec.subarray(0, PACK_HEADER_BYTES - 1))).toBeNull();
    expect(decodePackHeader(Buffer.alloc(PACK_HEADER_BYTES))).toBeNull();
    for (const [at, v] of [[0, 0x42], [4, 9], [4, 0], [5, 1], [19, 0xff]] as const) {
      const bad = Buffer.from(rec);
      bad[at] = v;
      expect(decodePackHeader(bad), `byte ${at} = ${v}`).toBeNull();
    }
  });

  it('finds every single flipped bit, and a truncated or extended record', () => {
    const rec = record('a/key', Buffer.from(Array.from({ length: 64 }, (_, i) => i)));
    for (let bit = 0; bit < rec.length * 8; bit++) {
      const bad = Buffer.from(rec);
      bad[bit >> 3] = (bad[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(packRecordIntact(bad), `bit ${bit}`).toBe(false);
    }
    expect(packRecordIntact(rec.subarray(0, rec.length - 1))).toBe(false);
    expect(packRecordIntact(Buffer.concat([rec, Buffer.from([0])]))).toBe(false);
  });

  it('refuses keys and data too long for the header', () => {
    expect(() => encodePackHeader('put', Buffer.alloc(70_000), new Uint8Array(0), 1)).toThrow(/key of 70000 bytes/);
  });

  it('stamps rise within a writer even when its clock stands still or goes back', () => {
    let t = 1000;
    const stamp = packStamper(() => t);
    const a = stamp();
    const b = stamp();
    t = 900;
    const c = stamp();
    t = 2000;
    const d = stamp();
    expect(a).toBe(1000 * 2048);
    expect([b, c]).toEqual([a + 1, a + 2]);
    expect(d).toBe(2000 * 2048);
  });
});
