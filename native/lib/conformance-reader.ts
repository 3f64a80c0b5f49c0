/**
 * The conformance readers of `../shared/mcap-conformance` (foxglove/mcap
 * tests/conformance) over the native RecordReader. Both print the JSON form
 * that folder's README specifies: records as `{type, fields: [[name, value]…]}`,
 * fields sorted, integers as decimal strings, bytes as arrays of strings.
 */
import type { RawRecord } from './addon.js';
import { createRecordReader } from './index.js';

/** A record in the conformance JSON form. */
export interface ConformanceRecord {
  type: string;
  fields: [string, unknown][];
}

const MAGIC_LEN = 8;
const FOOTER_LEN = 9 + 20;

function conv(v: unknown): unknown {
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Array.from(v, (b) => String(b));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)]));
  return v;
}

/** Converts a RawRecord to the conformance form (sorted fields, decimal strings; Attachment crc is not listed). */
export function toConformance(r: RawRecord): ConformanceRecord {
  const fields = Object.entries(r.fields)
    .filter(([k]) => !(r.type === 'Attachment' && k === 'crc'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => [k, conv(v)] as [string, unknown]);
  return { type: r.type, fields };
}

/** Problems or a fatal error met while reading; conformance files have none. */
export class ConformanceReadError extends Error {}

function drain(reader: ReturnType<typeof createRecordReader>, out: RawRecord[]): void {
  for (let r = reader.next(); r; r = reader.next()) out.push(r);
  const problems = reader.problems();
  if (problems.length) throw new ConformanceReadError(problems.map((p) => `${p.code} at ${p.offset}: ${p.message}`).join('; '));
}

/** Streamed reader: every record in file order, chunk contents in place of the chunk, no MessageIndex. */
export function readStreamed(bytes: Uint8Array): { records: ConformanceRecord[] } {
  const reader = createRecordReader();
  const raw: RawRecord[] = [];
  reader.append(bytes);
  drain(reader, raw);
  reader.finish();
  drain(reader, raw);
  if (!reader.done()) throw new ConformanceReadError('reader did not reach the end of the file');
  return { records: raw.filter((r) => r.type !== 'MessageIndex').map(toConformance) };
}

/** Reads the records of bytes [offset, offset+length) with a fresh reader positioned there (after the magic). */
function readRange(bytes: Uint8Array, offset: number, length: number): RawRecord[] {
  if (offset < MAGIC_LEN || offset + length > bytes.length) throw new ConformanceReadError(`range ${offset}+${length} outside the file`);
  const reader = createRecordReader();
  const raw: RawRecord[] = [];
  reader.append(bytes.subarray(0, MAGIC_LEN));
  drain(reader, raw); // consumes the magic
  reader.seek(offset);
  reader.append(bytes.subarray(offset, offset + length));
  drain(reader, raw);
  return raw;
}

/**
 * Indexed reader: Footer → summary section (schemas, channels, statistics,
 * chunk indexes) → only the indexed chunks. Schemas and channels once each
 * sorted by id, messages by log_time (stable), statistics as in the summary.
 */
export function readIndexed(bytes: Uint8Array): {
  schemas: ConformanceRecord[];
  channels: ConformanceRecord[];
  messages: ConformanceRecord[];
  statistics: ConformanceRecord[];
} {
  const footerAt = bytes.length - MAGIC_LEN - FOOTER_LEN;
  const [footer] = readRange(bytes, footerAt, FOOTER_LEN);
  if (footer?.type !== 'Footer') throw new ConformanceReadError('no Footer record before the trailing magic');
  const summaryStart = Number(footer.fields['summary_start']);
  if (!summaryStart) throw new ConformanceReadError('the file has no summary section');
  const summary = readRange(bytes, summaryStart, footerAt - summaryStart);
  const firstById = (type: string): RawRecord[] => {
    const byId = new Map<number, RawRecord>();
    for (const r of summary) if (r.type === type && !byId.has(Number(r.fields['id']))) byId.set(Number(r.fields['id']), r);
    return [...byId.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
  };
  const messages: RawRecord[] = [];
  for (const ci of summary.filter((r) => r.type === 'ChunkIndex')) {
    const chunk = readRange(bytes, Number(ci.fields['chunk_start_offset']), Number(ci.fields['chunk_length']));
    messages.push(...chunk.filter((r) => r.type === 'Message'));
  }
  const logTime = (r: RawRecord): bigint => BigInt(r.fields['log_time'] as bigint | number);
  messages.sort((a, b) => (logTime(a) < logTime(b) ? -1 : logTime(a) > logTime(b) ? 1 : 0));
  return {
    schemas: firstById('Schema').map(toConformance),
    channels: firstById('Channel').map(toConformance),
    messages: messages.map(toConformance),
    statistics: summary.filter((r) => r.type === 'Statistics').map(toConformance),
  };
}

/** True for the files the README lists for the indexed reader: messages and features ch, chx, mx, rch, rsh. */
export function indexedEligible(fileName: string): boolean {
  const [base, ...features] = fileName.replace(/\.mcap$/, '').split('-');
  const hasMessages = base === 'OneMessage' || base === 'TenMessages' || base === 'OneSchemalessMessage';
  return hasMessages && ['ch', 'chx', 'mx', 'rch', 'rsh'].every((f) => features.includes(f));
}

/** The indexed reader's expected output, derived from the streamed records as the README says. */
export function expectedIndexed(records: ConformanceRecord[]): unknown {
  const field = (r: ConformanceRecord, name: string): unknown => r.fields.find(([k]) => k === name)?.[1];
  const firstById = (type: string): ConformanceRecord[] => {
    const byId = new Map<number, ConformanceRecord>();
    for (const r of records) if (r.type === type && !byId.has(Number(field(r, 'id')))) byId.set(Number(field(r, 'id')), r);
    return [...byId.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
  };
  const t = (r: ConformanceRecord): bigint => BigInt(field(r, 'log_time') as string);
  const messages = records.filter((r) => r.type === 'Message').sort((a, b) => (t(a) < t(b) ? -1 : t(a) > t(b) ? 1 : 0));
  return { schemas: firstById('Schema'), channels: firstById('Channel'), messages, statistics: records.filter((r) => r.type === 'Statistics') };
}
