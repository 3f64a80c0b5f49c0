/**
 * The Node reference for the parser benchmark: @mcap/core's stream reader
 * with the Foxglove decoders (rosmsg2-serialization for cdr, protobufjs for
 * protobuf, JSON.parse for json), flattening each message into a CSV row
 * (dotted columns, numeric arrays ≤ 16 expanded, byte arrays as length) and
 * collecting rows into ~1 MiB chunks per topic, as the native parser does.
 */
import { createRequire } from 'node:module';

import { parse as parseRosmsg } from '@foxglove/rosmsg';
import { MessageReader } from '@foxglove/rosmsg2-serialization';
import { McapStreamReader } from '@mcap/core';

const require = createRequire(import.meta.url);
const zstd = require('zstd-napi') as { decompress(b: Uint8Array): Buffer };
const protobuf = require('protobufjs') as typeof import('protobufjs');
const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorSet: import('protobufjs').Type };

const ARRAY_LIMIT = 16;
const CHUNK_BYTES = 1 << 20;

type Decode = (data: Uint8Array) => unknown;

function decoderFor(encoding: string, schema: { name: string; encoding: string; data: Uint8Array } | undefined): Decode {
  if (encoding === 'json') {
    const td = new TextDecoder();
    return (d) => JSON.parse(td.decode(d));
  }
  if (encoding === 'cdr' && schema) {
    const reader = new MessageReader(parseRosmsg(new TextDecoder().decode(schema.data), { ros2: true }));
    return (d) => reader.readMessage(d);
  }
  if (encoding === 'protobuf' && schema) {
    const set = descriptor.FileDescriptorSet.decode(schema.data);
    const root = (protobuf.Root as unknown as { fromDescriptor(s: unknown): import('protobufjs').Root }).fromDescriptor(set);
    const type = root.lookupType(schema.name);
    return (d) => type.toObject(type.decode(d), { longs: String, enums: Number, defaults: true });
  }
  throw new Error(`no reference decoder for ${encoding}`);
}

function cell(v: unknown): string {
  if (typeof v === 'string') return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return String(v);
}

/** Appends the flattened cells of `v` (column order = key order) to `out`. */
function flatten(v: unknown, out: string[]): void {
  if (v === null || v === undefined) { out.push(''); return; }
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<number>;
    out.push(String(a.length));
    if (!(v instanceof Uint8Array) && a.length <= ARRAY_LIMIT) for (let i = 0; i < a.length; i++) out.push(String(a[i]));
    return;
  }
  if (Array.isArray(v)) {
    out.push(String(v.length));
    if (v.length <= ARRAY_LIMIT && v.every((x) => typeof x === 'number')) for (const x of v) out.push(String(x));
    else if (v.length && typeof v[0] === 'object') out.push(cell(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))));
    return;
  }
  if (typeof v === 'object') {
    for (const k in v as Record<string, unknown>) flatten((v as Record<string, unknown>)[k], out);
    return;
  }
  out.push(cell(v));
}

/** Counters of one reference run. */
export interface ReferenceResult { messages: number; rows: number; csvBytes: number; }

/** Stream-decodes a file given as blocks into CSV rows; returns what it produced. */
export function referenceDecode(blocks: Iterable<Uint8Array>): ReferenceResult {
  const reader = new McapStreamReader({ decompressHandlers: { zstd: (b) => zstd.decompress(b) } });
  const schemas = new Map<number, { name: string; encoding: string; data: Uint8Array }>();
  const topics = new Map<number, { decode: Decode; rows: string[]; bytes: number }>();
  const res: ReferenceResult = { messages: 0, rows: 0, csvBytes: 0 };
  const flush = (t: { rows: string[]; bytes: number }): void => {
    res.csvBytes += Buffer.byteLength(t.rows.join(''));
    t.rows = []; t.bytes = 0;
  };
  const cells: string[] = [];
  for (const block of blocks) {
    reader.append(block);
    for (let rec; (rec = reader.nextRecord()); ) {
      if (rec.type === 'Schema') schemas.set(rec.id, rec);
      else if (rec.type === 'Channel' && !topics.has(rec.id)) topics.set(rec.id, { decode: decoderFor(rec.messageEncoding, schemas.get(rec.schemaId)), rows: [], bytes: 0 });
      else if (rec.type === 'Message') {
        const t = topics.get(rec.channelId);
        if (!t) continue;
        res.messages++;
        cells.length = 0;
        cells.push(String(rec.logTime), String(rec.publishTime), String(rec.sequence));
        flatten(t.decode(rec.data), cells);
        const row = `${cells.join(',')}\r\n`;
        t.rows.push(row);
        t.bytes += row.length;
        res.rows++;
        if (t.bytes >= CHUNK_BYTES) flush(t);
      }
    }
  }
  for (const t of topics.values()) if (t.rows.length) flush(t);
  return res;
}

/** @mcap/core stream scan: every record (chunks decompressed), nothing decoded. */
export function referenceScan(blocks: Iterable<Uint8Array>): number {
  const reader = new McapStreamReader({ decompressHandlers: { zstd: (b) => zstd.decompress(b) } });
  let n = 0;
  for (const block of blocks) {
    reader.append(block);
    while (reader.nextRecord()) n++;
  }
  return n;
}
