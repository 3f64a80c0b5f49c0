import { crc32 } from 'node:zlib';

/**
 * One record of a pack file (PackObjectStore): a 24-byte header, the key,
 * then the data. Little-endian:
 *
 *   0  u32  magic "APK1"
 *   4  u8   kind: 1 put, 2 delete (no data), 3 seal (no key, no data; the writer is done with the pack)
 *   5  u8   reserved, 0
 *   6  u16  key length in bytes
 *   8  u32  data length in bytes
 *  12  f64  stamp: an integer, the writer's clock in ms × 2048 plus a counter, rising within a writer;
 *           the higher stamp wins when two records name one key
 *  20  u32  CRC-32 of header bytes 0–19, the key and the data
 *
 * A pack is a plain log of records, written in order and never rewritten, so
 * a crash can tear only its tail; the CRC tells a torn or rotten record from
 * a whole one.
 */
export const PACK_MAGIC = 0x314b5041; // "APK1" read as a little-endian u32
export const PACK_HEADER_BYTES = 24;
const CRC_AT = 20;
export const PACK_MAX_DATA = 0xffff_ffff;
export const PACK_MAX_KEY = 0xffff;

/** Stamps for one writer: its clock in ms × 2048, and never less than one more than the last. */
export function packStamper(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    last = Math.max(last + 1, Math.floor(now()) * 2048);
    return last;
  };
}

export type PackRecordKind = 'put' | 'delete' | 'seal';
const KIND_CODE: Record<PackRecordKind, number> = { put: 1, delete: 2, seal: 3 };
const KIND_OF = ['', 'put', 'delete', 'seal'] as const;

export interface PackRecordHeader {
  kind: PackRecordKind;
  keyLength: number;
  dataLength: number;
  stamp: number;
  crc: number;
}

/** CRC-32 of the header's first 20 bytes, the key and the data. */
function recordCrc(head: Uint8Array, key: Uint8Array, data: Uint8Array): number {
  return crc32(data, crc32(key, crc32(head.subarray(0, CRC_AT))));
}

/** The header of a record holding `key` and `data`. */
export function encodePackHeader(kind: PackRecordKind, key: Buffer, data: Uint8Array, stamp: number): Buffer {
  if (key.length > PACK_MAX_KEY) throw new RangeError(`pack record key of ${key.length} bytes is over ${PACK_MAX_KEY}`);
  if (data.length > PACK_MAX_DATA) throw new RangeError(`pack record data of ${data.length} bytes is over ${PACK_MAX_DATA}`);
  const h = Buffer.allocUnsafe(PACK_HEADER_BYTES);
  h.writeUInt32LE(PACK_MAGIC, 0);
  h.writeUInt8(KIND_CODE[kind], 4);
  h.writeUInt8(0, 5);
  h.writeUInt16LE(key.length, 6);
  h.writeUInt32LE(data.length, 8);
  h.writeDoubleLE(stamp, 12);
  h.writeUInt32LE(recordCrc(h, key, data), CRC_AT);
  return h;
}

/** Reads a header; null when the bytes are not one (a torn tail, zeros, another file). */
export function decodePackHeader(b: Uint8Array, at = 0): PackRecordHeader | null {
  if (b.length - at < PACK_HEADER_BYTES) return null;
  const v = Buffer.from(b.buffer, b.byteOffset + at, PACK_HEADER_BYTES);
  const kind = KIND_OF[v.readUInt8(4)];
  if (v.readUInt32LE(0) !== PACK_MAGIC || !kind || v.readUInt8(5) !== 0) return null;
  const h = { kind, keyLength: v.readUInt16LE(6), dataLength: v.readUInt32LE(8), stamp: v.readDoubleLE(12), crc: v.readUInt32LE(CRC_AT) };
  if (!Number.isSafeInteger(h.stamp) || h.stamp < 0) return null;
  if (kind !== 'put' && h.dataLength !== 0) return null;
  if (kind === 'seal' && h.keyLength !== 0) return null;
  return h;
}

/** Whole-record size from its header. */
export function packRecordBytes(h: PackRecordHeader): number {
  return PACK_HEADER_BYTES + h.keyLength + h.dataLength;
}

/** True when `record` (header, key, data, exactly) carries the CRC its header names. */
export function packRecordIntact(record: Uint8Array): boolean {
  const h = decodePackHeader(record);
  if (!h || record.length !== packRecordBytes(h)) return false;
  const b = Buffer.from(record.buffer, record.byteOffset, record.length);
  const key = b.subarray(PACK_HEADER_BYTES, PACK_HEADER_BYTES + h.keyLength);
  const data = b.subarray(PACK_HEADER_BYTES + h.keyLength);
  return recordCrc(b, key, data) === h.crc;
}
