// Helpers shared by the native parser tests (not exported from index.ts).
import { createRequire } from 'node:module';

import { McapStreamReader, McapWriter, TempBuffer } from '@mcap/core';

import { parseRecording } from './parse.js';
import type { CsvChunk, ParseOptions, RecordingSummary } from './types.js';

const require = createRequire(import.meta.url);
const zstd = require('zstd-napi') as { decompress(b: Uint8Array): Buffer; compress(b: Uint8Array): Buffer };
const lz4 = require('lz4') as { encode(b: Buffer): Buffer; decode(b: Buffer): Buffer };

export { zstd, lz4 };

/** RFC 4180 parser (CRLF or LF line ends); returns rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** Rows of all chunks of a topic as objects keyed by column (headers checked equal across chunks). */
export function topicRows(chunks: CsvChunk[], topic: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let header: string[] | undefined;
  for (const c of chunks.filter((x) => x.topic === topic).sort((a, b) => a.index - b.index)) {
    const [h, ...rows] = parseCsv(c.csv.toString('utf8'));
    if (!h) throw new Error(`chunk ${c.index} of ${topic} has no header`);
    if (header && h.join(',') !== header.join(',')) throw new Error(`header differs in chunk ${c.index}`);
    header = h;
    if (rows.length !== c.rows) throw new Error(`chunk ${c.index}: ${rows.length} rows parsed, ${c.rows} reported`);
    for (const r of rows) {
      if (r.length !== h.length) throw new Error(`row has ${r.length} fields, header ${h.length}`);
      out.push(Object.fromEntries(h.map((k, i) => [k, r[i]!])));
    }
  }
  return out;
}

/** A message as read by @mcap/core (the independent reader). */
export interface RefMessage {
  topic: string;
  channelId: number;
  logTime: bigint;
  publishTime: bigint;
  sequence: number;
  data: Uint8Array;
  schemaName: string;
  schemaEncoding: string;
  schemaData: Uint8Array;
  messageEncoding: string;
}

/** Reads every message with @mcap/core's McapStreamReader. */
export function referenceMessages(bytes: Uint8Array): RefMessage[] {
  const reader = new McapStreamReader({
    decompressHandlers: { zstd: (b) => zstd.decompress(b), lz4: (b) => lz4.decode(Buffer.from(b)) },
  });
  reader.append(bytes);
  const schemas = new Map<number, { name: string; encoding: string; data: Uint8Array }>();
  const channels = new Map<number, { topic: string; schemaId: number; messageEncoding: string }>();
  const out: RefMessage[] = [];
  for (let rec; (rec = reader.nextRecord()); ) {
    if (rec.type === 'Schema') schemas.set(rec.id, rec);
    else if (rec.type === 'Channel') channels.set(rec.id, rec);
    else if (rec.type === 'Message') {
      const ch = channels.get(rec.channelId)!;
      const s = schemas.get(ch.schemaId);
      out.push({
        topic: ch.topic,
        channelId: rec.channelId,
        logTime: rec.logTime,
        publishTime: rec.publishTime,
        sequence: rec.sequence,
        data: rec.data,
        schemaName: s?.name ?? '',
        schemaEncoding: s?.encoding ?? '',
        schemaData: s?.data ?? new Uint8Array(),
        messageEncoding: ch.messageEncoding,
      });
    }
  }
  return out;
}

/** Normalizes decoded JS values to plain JSON-like data (typed arrays -> arrays, bigint -> number). */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => plain(x));
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return a === b || Math.fround(a) === Math.fround(b);
}

/** Deep equality where numbers may differ only by float32 rounding. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return sameNumber(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Does a CSV cell hold the value the reference decoder produced? */
export function sameCell(cell: string, v: unknown): boolean {
  if (typeof v === 'boolean') return cell === String(v);
  if (typeof v === 'bigint') return cell === v.toString();
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return cell === 'nan';
    if (!Number.isFinite(v)) return cell === (v > 0 ? 'inf' : '-inf');
    return cell !== '' && sameNumber(Number(cell), v);
  }
  if (typeof v === 'string') return cell === v;
  if (v === undefined || v === null) return cell === '';
  return sameJson(JSON.parse(cell), plain(v));
}

/**
 * Looks a column up in a decoded message: `a.b` walks objects, `x.3` indexes
 * arrays, `x.len` is an array's length. Returns `{found: false}` when the
 * path does not exist.
 */
export function valueAt(msg: unknown, column: string): { found: boolean; value?: unknown } {
  let cur: unknown = msg;
  const parts = column.split('.');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (cur && typeof cur === 'object' && !ArrayBuffer.isView(cur) && !Array.isArray(cur) && p in (cur as object)) {
      cur = (cur as Record<string, unknown>)[p];
      continue;
    }
    const isArr = Array.isArray(cur) || ArrayBuffer.isView(cur);
    if (isArr && i === parts.length - 1 && p === 'len') return { found: true, value: (cur as ArrayLike<unknown>).length };
    if (isArr && /^\d+$/.test(p)) {
      const arr = cur as ArrayLike<unknown>;
      const idx = Number(p);
      if (idx >= arr.length) return { found: true, value: undefined };
      cur = arr[idx];
      continue;
    }
    return { found: false };
  }
  return { found: true, value: cur };
}

/** Leaf paths of a decoded message (arrays are leaves). */
export function leafPaths(msg: unknown, prefix = ''): string[] {
  if (msg && typeof msg === 'object' && !Array.isArray(msg) && !ArrayBuffer.isView(msg)) {
    const entries = Object.entries(msg);
    if (entries.length === 0) return [];
    return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

export interface WriteChannel {
  topic: string;
  messageEncoding: string;
  schema?: { name: string; encoding: string; data: Uint8Array };
  messages: { logTime: bigint; data: Uint8Array }[];
}

/** Builds an MCAP file in memory with @mcap/core's McapWriter. */
export async function buildMcap(
  channels: WriteChannel[],
  opts: { compression?: 'zstd' | 'lz4' | ''; metadata?: { name: string; metadata: Map<string, string> }[]; chunkSize?: number; useChunks?: boolean } = {},
): Promise<Uint8Array> {
  const buf = new TempBuffer();
  const compressChunk =
    opts.compression === 'zstd'
      ? (d: Uint8Array) => ({ compression: 'zstd', compressedData: new Uint8Array(zstd.compress(d)) })
      : opts.compression === 'lz4'
        ? (d: Uint8Array) => ({ compression: 'lz4', compressedData: new Uint8Array(lz4.encode(Buffer.from(d))) })
        : undefined;
  const writer = new McapWriter({
    writable: buf,
    useChunks: opts.useChunks ?? true,
    chunkSize: opts.chunkSize ?? 1024,
    ...(compressChunk ? { compressChunk } : {}),
  });
  await writer.start({ profile: '', library: 'argus-test' });
  for (const m of opts.metadata ?? []) await writer.addMetadata(m);
  const ids: number[] = [];
  for (const c of channels) {
    const schemaId = c.schema ? await writer.registerSchema(c.schema) : 0;
    ids.push(await writer.registerChannel({ topic: c.topic, messageEncoding: c.messageEncoding, schemaId, metadata: new Map() }));
  }
  // Interleave by log time like a recorder would.
  const all = channels.flatMap((c, i) => c.messages.map((m, seq) => ({ ...m, channelId: ids[i]!, sequence: seq })));
  all.sort((a, b) => (a.logTime < b.logTime ? -1 : a.logTime > b.logTime ? 1 : 0));
  for (const m of all) {
    await writer.addMessage({ channelId: m.channelId, sequence: m.sequence, logTime: m.logTime, publishTime: m.logTime, data: m.data });
  }
  await writer.end();
  return buf.get();
}

/** Parses a recording file to the end with `parseRecording`, keeping every chunk. */
export async function collectRecording(path: string, opts: ParseOptions = {}): Promise<{ chunks: CsvChunk[]; summary: RecordingSummary }> {
  const it = parseRecording(path, opts);
  const chunks: CsvChunk[] = [];
  for (let r = await it.next(); ; r = await it.next()) {
    if (r.done) return { chunks, summary: r.value };
    chunks.push(r.value);
  }
}
