// The 416 MCAP conformance files (foxglove/mcap tests/conformance): the raw
// RecordReader must list every record, in file order, with the field values
// of the expected JSON (records inside chunks in place of the chunk, no
// MessageIndex), and find no CRC problem in these well-formed files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { expectedIndexed, indexedEligible, readIndexed } from './conformance-reader.js';
import { createRecordReader, type RawRecord } from './index.js';
import { sharedPath } from './shared-data.js';

const ROOT = sharedPath('mcap-conformance');

interface Expected {
  type: string;
  fields: [string, unknown][];
}

/** Converts a RawRecord to the conformance JSON shape (sorted fields, decimal strings). */
function toConformance(r: RawRecord): Expected {
  const conv = (v: unknown): unknown => {
    if (typeof v === 'bigint' || typeof v === 'number') return String(v);
    if (Buffer.isBuffer(v)) return Array.from(v, (b) => String(b));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)]));
    return v;
  };
  const fields = Object.entries(r.fields)
    .filter(([k]) => !(r.type === 'Attachment' && k === 'crc'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => [k, conv(v)] as [string, unknown]);
  return { type: r.type, fields };
}

function readAll(bytes: Uint8Array, blockSize: number): { records: Expected[]; problems: { code: string }[] } {
  const reader = createRecordReader();
  const records: Expected[] = [];
  const problems: { code: string }[] = [];
  const drain = () => {
    for (let r = reader.next(); r; r = reader.next()) if (r.type !== 'MessageIndex') records.push(toConformance(r));
    problems.push(...reader.problems());
  };
  for (let p = 0; p < bytes.length; p += blockSize) {
    reader.append(bytes.subarray(p, p + blockSize));
    drain();
  }
  reader.finish();
  drain();
  expect(reader.done()).toBe(true);
  return { records, problems };
}

const files = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(ROOT, d.name)).filter((f) => f.endsWith('.mcap')).map((f) => join(ROOT, d.name, f)));

describe('MCAP conformance (streamed reader)', () => {
  it('has the conformance files', () => {
    expect(files.length).toBe(416);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s', { timeout: 30_000 }, (_name, file) => {
    const bytes = readFileSync(file);
    const expected = JSON.parse(readFileSync(file.replace(/\.mcap$/, '.json'), 'utf8')) as { records: Expected[] };
    const whole = readAll(bytes, bytes.length);
    expect(whole.problems).toEqual([]);
    expect(whole.records).toEqual(expected.records);
    // Byte-at-a-time feeding gives the same records (NeedMore at every boundary).
    expect(readAll(bytes, 7).records).toEqual(expected.records);
  });
});

describe('MCAP conformance (indexed reader)', () => {
  const eligible = files.filter((f) => indexedEligible(f.slice(f.lastIndexOf('/') + 1)));
  it('has the 16 eligible files', () => {
    expect(eligible.length).toBe(16);
  });

  it.each(eligible.map((f) => [f.slice(ROOT.length + 1), f]))('%s', (_name, file) => {
    const expected = JSON.parse(readFileSync(file.replace(/\.mcap$/, '.json'), 'utf8')) as { records: Expected[] };
    const actual: unknown = JSON.parse(JSON.stringify(readIndexed(readFileSync(file))));
    expect(actual).toEqual(JSON.parse(JSON.stringify(expectedIndexed(expected.records))));
  });
});
