// Round trips on the drive simulator's output: every encoding it writes (cdr
// with ros2msg, protobuf with a FileDescriptorSet, json with jsonschema) under
// every chunk compression, without a summary section and without chunks. The
// native parser's cells must equal an independent decoder's values
// (@mcap/core + rosmsg2-serialization / protobufjs / JSON.parse), and every
// variant of the same drive must give the same CSV.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse as parseRosmsg } from '@foxglove/rosmsg';
import { MessageReader } from '@foxglove/rosmsg2-serialization';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomVin, Rng, writeDrive, type WriteDriveOptions } from '@argus/sim';
import { collectRecording, referenceMessages, sameCell, topicRows, valueAt, type RefMessage } from '../../native/lib/test-support.js';

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as typeof import('protobufjs');
const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorSet: import('protobufjs').Type };

/** How the drive is written, and on how many threads it is parsed. */
type Variant = Pick<WriteDriveOptions, 'compression' | 'summary' | 'chunked'> & { threads?: number };
const VARIANTS: Record<string, Variant> = {
  'zstd chunks': { compression: 'zstd' },
  'lz4 chunks': { compression: 'lz4' },
  'uncompressed chunks': { compression: 'none' },
  'zstd, no summary': { compression: 'zstd', summary: false },
  'no chunks, no summary': { chunked: false, summary: false },
  'zstd chunks, parsed on 3 threads': { compression: 'zstd', threads: 3 },
  'no chunks, parsed on 2 threads': { chunked: false, summary: false, threads: 2 },
};

/** The independent decoder for one topic's messages. */
function referenceDecoder(first: RefMessage): (data: Uint8Array) => unknown {
  if (first.messageEncoding === 'json') {
    const td = new TextDecoder();
    return (d) => JSON.parse(td.decode(d)) as unknown;
  }
  if (first.messageEncoding === 'cdr') {
    const reader = new MessageReader(parseRosmsg(new TextDecoder().decode(first.schemaData), { ros2: true }));
    return (d) => reader.readMessage(d);
  }
  if (first.messageEncoding === 'protobuf') {
    const root = (protobuf.Root as unknown as { fromDescriptor(s: unknown): import('protobufjs').Root }).fromDescriptor(descriptor.FileDescriptorSet.decode(first.schemaData));
    const type = root.lookupType(first.schemaName);
    return (d) => type.toObject(type.decode(d), { longs: String, enums: Number, defaults: true });
  }
  throw new Error(`no reference decoder for ${first.messageEncoding}`);
}

describe('simulator recordings round-trip through the native parser', () => {
  let dir = '';
  const csvByVariant = new Map<string, string>();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-roundtrip-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(Object.entries(VARIANTS))('%s: every cell of every topic equals the reference decoder', async (name, { threads, ...variant }) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.mcap`);
    // A fault and healthy noise so diagnostics, rosout and every sensor topic carry data.
    await writeDrive({ out: file, seed: 77, durationS: 12, platform: 'K1', vin: randomVin(Rng.derive(77, 'vin'), 'K1'), faults: [{ code: '0xA001', startS: 2 }], ...variant });
    const { chunks, summary } = await collectRecording(file, { threads });
    expect(summary.problems).toEqual([]);
    expect(summary.truncated).toBe(false);
    const ref = referenceMessages(await readFile(file));
    const encodings = new Set(ref.map((m) => m.messageEncoding));
    expect([...encodings].sort()).toEqual(['cdr', 'json', 'protobuf']);
    let cells = 0;
    for (const topic of new Set(ref.map((m) => m.topic))) {
      const msgs = ref.filter((m) => m.topic === topic);
      const decode = referenceDecoder(msgs[0]!);
      const ts = summary.topics.find((t) => t.topic === topic);
      expect(ts, `${topic} in the summary`).toBeDefined();
      expect(ts!.messageCount).toBe(msgs.length);
      const rows = topicRows(chunks, topic);
      expect(rows.length, topic).toBe(msgs.length);
      rows.forEach((row, i) => {
        const m = msgs[i]!;
        expect(row.log_time_ns).toBe(m.logTime.toString());
        const decoded = decode(m.data);
        for (const col of ts!.columns) {
          const v = valueAt(decoded, col);
          expect(v.found, `${topic} column ${col} not in the reference message`).toBe(true);
          expect(sameCell(row[col]!, v.value), `${name} ${topic}[${i}].${col}: ${row[col]} vs ${JSON.stringify(v.value)}`).toBe(true);
          cells++;
        }
      });
    }
    expect(cells).toBeGreaterThan(10_000);
    csvByVariant.set(name, chunks.map((c) => `${c.topic}#${c.index}\n${c.csv.toString()}`).join('\n'));
  }, 120_000);

  it('gives the same CSV for every variant of the same drive', () => {
    expect(csvByVariant.size).toBe(Object.keys(VARIANTS).length);
    expect(new Set(csvByVariant.values()).size).toBe(1);
  });
});
