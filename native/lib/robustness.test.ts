// Damaged input: every truncation point, flipped bytes, flipped length
// fields, garbage. The parser must never crash or hang, must keep every
// complete record before the damage and must name the offset.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { addon, createRecordReader, NativeParseError, parseBuffer } from './index.js';
import { buildMcap } from './test-support.js';
import { sharedPath } from './shared-data.js';

const DIR = sharedPath('recordings-public');
const files = ['rosbag2_cdr_test_0', 'rosbag2_talker', 'rosbag2_wbag_0'];

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function rowsOf(bytes: Uint8Array): Promise<{ rows: number; truncated: boolean; error?: NativeParseError }> {
  try {
    const { chunks, summary } = await parseBuffer(bytes);
    return { rows: chunks.reduce((n, c) => n + c.rows, 0), truncated: summary.truncated };
  } catch (e) {
    if (e instanceof NativeParseError) return { rows: 0, truncated: true, error: e };
    throw e;
  }
}

/** Offsets of the top-level records (after the magic) of a well-formed file. */
function recordOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  let p = 8;
  while (p + 9 <= bytes.length - 8) {
    out.push(p);
    p += 9 + Number(view.getBigUint64(p + 1, true));
  }
  return out;
}

describe('truncation', () => {
  // Every cut of the uncompressed file; every 3rd of the zstd one (same paths, half the time).
  it.each([['rosbag2_cdr_test_0', 1], ['rosbag2_talker', 3]])('cuts of %s (step %i) read a monotone number of rows', { timeout: 120_000 }, async (name, step) => {
    const bytes = readFileSync(`${DIR}/${name}.mcap`);
    const full = await rowsOf(bytes);
    expect(full.truncated).toBe(false);
    let last = 0;
    for (let cut = 0; cut < bytes.length; cut += cut < 64 ? 1 : step) {
      const r = await rowsOf(bytes.subarray(0, cut));
      expect(r.rows, `cut at ${cut}`).toBeGreaterThanOrEqual(last);
      expect(r.rows).toBeLessThanOrEqual(full.rows);
      if (cut < 8) expect(r.error?.code).toBe('BAD_MAGIC');
      last = r.rows;
    }
    expect(last).toBeGreaterThan(0);
  });

  it('reports the offset where the damage begins and keeps what came before', async () => {
    const bytes = readFileSync(`${DIR}/rosbag2_cdr_test_0.mcap`);
    const offsets = recordOffsets(bytes);
    const cutRecord = offsets[Math.floor(offsets.length / 2)]!;
    const { summary } = await parseBuffer(bytes.subarray(0, cutRecord + 5));
    expect(summary.truncated).toBe(true);
    const p = summary.problems.find((x) => x.code === 'TRUNCATED')!;
    expect(p.offset).toBe(cutRecord);
    expect(p.message).toContain(String(cutRecord));
  });

  it('salvages complete messages of a cut uncompressed chunk', async () => {
    const msgs = Array.from({ length: 50 }, (_, i) => ({ logTime: BigInt(i), data: new TextEncoder().encode(JSON.stringify({ i })) }));
    const bytes = await buildMcap([{ topic: '/j', messageEncoding: 'json', messages: msgs }], { chunkSize: 1 << 20 });
    const { chunks, summary } = await parseBuffer(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect(summary.truncated).toBe(true);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBeGreaterThan(10);
  });
});

describe('corrupt input', () => {
  it('reports bytes after the trailing magic without losing anything', async () => {
    const bytes = readFileSync(`${DIR}/rosbag2_cdr_test_0.mcap`);
    const clean = await parseBuffer(bytes);
    const extra = await parseBuffer(Buffer.concat([bytes, Buffer.from('garbage')]));
    expect(extra.summary.truncated).toBe(false);
    expect(extra.summary.problems).toMatchObject([{ code: 'TRAILING_DATA', offset: bytes.length }]);
    expect(extra.chunks.map((c) => c.csv.toString())).toEqual(clean.chunks.map((c) => c.csv.toString()));
  });

  it('rejects a file that is not MCAP with BAD_MAGIC naming the offset', async () => {
    const err = await parseBuffer(new TextEncoder().encode('PK\u0003\u0004 this is a zip file')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NativeParseError);
    expect((err as NativeParseError).code).toBe('BAD_MAGIC');
    expect((err as NativeParseError).offset).toBe(0);
    expect((err as NativeParseError).message).toMatch(/offset 0/);
  });

  it('rejects an empty file and a bare magic', async () => {
    await expect(parseBuffer(new Uint8Array())).rejects.toBeInstanceOf(NativeParseError);
    const magic = new Uint8Array([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]);
    await expect(parseBuffer(magic)).rejects.toMatchObject({ code: 'NO_RECORDS' });
  });

  it.each(['rosbag2_cdr_test_0', 'rosbag2_talker'])('survives random byte flips in %s', { timeout: 120_000 }, async (name) => {
    const bytes = readFileSync(`${DIR}/${name}.mcap`);
    const rand = rng(42);
    for (let round = 0; round < 300; round++) {
      const b = Buffer.from(bytes);
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) { const at = Math.floor(rand() * b.length); b[at] = b[at]! ^ (1 << Math.floor(rand() * 8)); }
      await rowsOf(b); // resolves or rejects with NativeParseError; anything else fails the test
    }
  });

  it('skips a record with an impossible length without buffering the rest of the file', async () => {
    const bytes = readFileSync(`${DIR}/rosbag2_cdr_test_0.mcap`);
    const offsets = recordOffsets(bytes);
    const at = offsets[Math.floor(offsets.length / 2)]!;
    const before = await rowsOf(bytes.subarray(0, at));
    const b = Buffer.from(bytes);
    b.writeBigUInt64LE(1n << 40n, at + 1);
    const { chunks, summary } = await parseBuffer(b);
    expect(summary.truncated).toBe(true);
    expect(summary.problems.map((p) => [p.code, p.offset])).toEqual([
      ['SKIPPED_RECORD', at],
      ['TRUNCATED', at],
    ]);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(before.rows);
  });

  // Every single-byte change of two small real recordings: no crash or hang, never more rows
  // than the intact file. Where the file carries CRCs (talker: zstd chunks with CRCs) a change
  // never goes unnoticed — the output is exactly the intact one or a problem/error says what
  // is wrong. cdr_test_0 has none (unchunked, data-section CRC 0), so a changed message byte
  // cannot be noticed there, by the spec.
  it.each([['rosbag2_cdr_test_0', false], ['rosbag2_talker', true]])('every single-byte change of %s is survived (never silent where CRCs exist: %s)', { timeout: 240_000 }, async (name, hasCrcs) => {
    const bytes = readFileSync(`${DIR}/${name}.mcap`);
    const intact = await parseBuffer(bytes);
    const text = (r: Awaited<ReturnType<typeof parseBuffer>>) => r.chunks.map((c) => `${c.topic}#${c.index}\n${c.csv.toString()}`).join('\n');
    const want = text(intact);
    const rows = intact.chunks.reduce((n, c) => n + c.rows, 0);
    let silent = 0;
    const b = Buffer.from(bytes);
    for (let at = 0; at < b.length; at++) {
      const keep = b[at]!;
      b[at] = keep ^ 0xff;
      try {
        const r = await parseBuffer(b);
        expect(r.chunks.reduce((n, c) => n + c.rows, 0), `byte ${at}`).toBeLessThanOrEqual(rows);
        if (r.summary.problems.length === 0 && !r.summary.truncated && text(r) !== want) silent++;
      } catch (e) {
        expect(e, `byte ${at}`).toBeInstanceOf(NativeParseError);
      }
      b[at] = keep;
    }
    if (hasCrcs) expect(silent).toBe(0);
    else expect(silent).toBeGreaterThan(0); // the property above really is checked: it does fire without CRCs
  });

  it('survives every flipped length field', { timeout: 120_000 }, async () => {
    const bytes = readFileSync(`${DIR}/rosbag2_cdr_test_0.mcap`);
    for (const off of recordOffsets(bytes)) {
      for (const pattern of [0xff, 0x80, 0x01]) {
        for (const byte of [1, 2, 8]) {
          const b = Buffer.from(bytes);
          b[off + byte] = b[off + byte]! ^ pattern;
          const r = await rowsOf(b);
          expect(r.error === undefined || r.error instanceof NativeParseError).toBe(true);
        }
      }
    }
  });

  it.each([['zstd' as const], ['lz4' as const]])('refuses a %s chunk whose uncompressed_size was damaged, without allocating it', async (compression) => {
    const msgs = Array.from({ length: 20 }, (_, i) => ({ logTime: BigInt(i), data: new TextEncoder().encode(JSON.stringify({ i })) }));
    const good = await buildMcap([{ topic: '/j', messageEncoding: 'json', messages: msgs }], { compression, chunkSize: 1 << 20 });
    const chunkAt = recordOffsets(good).find((o) => good[o] === 0x06)!;
    for (const size of [1n << 40n, 1n << 27n, 7n, 0n]) {
      const b = Buffer.from(good);
      b.writeBigUInt64LE(size, chunkAt + 9 + 16); // message_start_time, message_end_time, then uncompressed_size
      const { chunks, summary } = await parseBuffer(b);
      expect(summary.problems.map((p) => p.code)).toContain('BAD_CHUNK');
      expect(summary.problems.find((p) => p.code === 'BAD_CHUNK')!.offset).toBe(chunkAt);
      expect(chunks).toEqual([]);
    }
  });

  it('reports a chunk CRC mismatch as a problem, and skips the check when asked', async () => {
    const msgs = [{ logTime: 1n, data: new TextEncoder().encode('{"a":1}') }];
    const bytes = Buffer.from(await buildMcap([{ topic: '/j', messageEncoding: 'json', messages: msgs }]));
    const at = bytes.indexOf(Buffer.from('{"a":1}'));
    bytes[at + 5] = '2'.charCodeAt(0);
    const checked = await parseBuffer(bytes);
    expect(checked.summary.problems.map((p) => p.code)).toContain('CRC_MISMATCH');
    const unchecked = await parseBuffer(bytes, { checkCrc: false });
    expect(unchecked.summary.problems).toEqual([]);
    expect(unchecked.chunks[0]!.csv.toString()).toContain('\r\n1,1,0,2\r\n');
  });
});

describe('block boundaries', () => {
  // The parser reads pushed bytes in place and copies only a record a block
  // leaves unfinished. Every block here lands in ONE reused buffer that is
  // overwritten with garbage after its push: a byte read after the push
  // returned would change the output.
  async function pushInBlocks(bytes: Uint8Array, size: (k: number) => number, threads = 1): Promise<{ csv: string; summary: unknown }> {
    const parser = new addon.Parser({ threads });
    const scratch = Buffer.alloc(8192);
    const csv: string[] = [];
    let k = 0;
    for (let at = 0; at < bytes.length; k++) {
      const n = Math.min(size(k), bytes.length - at, scratch.length);
      bytes.subarray(at, at + n).forEach((b, i) => { scratch[i] = b; });
      const step = await parser.push(scratch.subarray(0, n));
      scratch.fill(0xa5);
      for (const c of step.chunks) csv.push(`${c.topic}#${c.index}\n${c.csv.toString()}`);
      at += n;
    }
    const last = await parser.finish();
    for (const c of last.chunks) csv.push(`${c.topic}#${c.index}\n${c.csv.toString()}`);
    return { csv: csv.join('\n'), summary: { ...last.summary, bytesRead: 0 } };
  }

  function scanInBlocks(bytes: Uint8Array, size: (k: number) => number, inPlace: boolean): { n: number; problems: unknown } {
    const reader = createRecordReader();
    const scratch = Buffer.alloc(8192);
    let n = 0;
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const len = Math.min(size(k), bytes.length - at, scratch.length);
      bytes.subarray(at, at + len).forEach((b, i) => { scratch[i] = b; });
      if (inPlace) n += reader.scan(scratch.subarray(0, len));
      else { reader.append(scratch.subarray(0, len)); n += reader.scan(); }
      scratch.fill(0x5a);
      at += len;
    }
    reader.finish();
    n += reader.scan();
    return { n, problems: reader.problems() };
  }

  const random = rng(7);
  const sizes: [string, (k: number) => number][] = [
    ['1 byte', () => 1],
    ['9 bytes (a record prefix)', () => 9],
    ['13 bytes', () => 13],
    ['4 KiB', () => 4096],
    ['random 1-5000', () => 1 + Math.floor(random() * 5000)],
  ];

  it.each(files)('%s pushed in blocks of any size gives the CSV and summary of one push', { timeout: 120_000 }, async (name) => {
    const bytes = readFileSync(`${DIR}/${name}.mcap`);
    const whole = await parseBuffer(bytes);
    const expected = whole.chunks.map((c) => `${c.topic}#${c.index}\n${c.csv.toString()}`).join('\n');
    for (const [label, size] of sizes) {
      for (const threads of [1, 3]) {
        const got = await pushInBlocks(bytes, size, threads);
        // Chunks of several topics may come out in another order on threads: compare per topic.
        const sorted = (csv: string) => csv.split(/\n(?=\/)/).sort().join('\n');
        expect(sorted(got.csv), `${label}, ${threads} threads`).toBe(sorted(expected));
        expect(got.summary, `${label}, ${threads} threads`).toEqual({ ...whole.summary, bytesRead: 0 });
      }
    }
  });

  it('a cut file in small blocks keeps the same rows and names the same damage', async () => {
    const bytes = readFileSync(`${DIR}/rosbag2_talker.mcap`);
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    const whole = await parseBuffer(cut);
    expect(whole.summary.truncated).toBe(true);
    const got = await pushInBlocks(cut, () => 1 + Math.floor(random() * 300));
    expect(got.summary).toEqual({ ...whole.summary, bytesRead: 0 });
  });

  it.each(files)('%s: scan(bytes) in place counts the records and problems append() + scan() does', (name) => {
    const bytes = readFileSync(`${DIR}/${name}.mcap`);
    const one = scanInBlocks(bytes, () => bytes.length, false);
    expect(one.n).toBeGreaterThan(10);
    for (const [label, size] of sizes) {
      expect(scanInBlocks(bytes, size, true), label).toEqual(one);
      expect(scanInBlocks(bytes, size, false), label).toEqual(one);
    }
  });
});

describe('threads', () => {
  // Rows written on several threads are added in file order: CSV chunks,
  // counts and problems (in order) equal the one-thread parse, also for
  // damaged files whose messages fail to decode.
  const key = (chunks: { topic: string; index: number; csv: Buffer }[]): string =>
    chunks.map((c) => `${c.topic}#${c.index}\n${c.csv.toString()}`).sort().join('\n');

  async function same(bytes: Uint8Array, label: string): Promise<void> {
    const one = await parseBuffer(bytes, { chunkBytes: 2048 }).catch((e: unknown) => e);
    for (const threads of [2, 3, 8]) {
      const many = await parseBuffer(bytes, { chunkBytes: 2048, threads }).catch((e: unknown) => e);
      if (one instanceof Error) {
        expect(many, `${label} threads=${threads}`).toEqual(one);
        continue;
      }
      const a = one as Awaited<ReturnType<typeof parseBuffer>>;
      const b = many as Awaited<ReturnType<typeof parseBuffer>>;
      expect(key(b.chunks), `${label} threads=${threads}`).toBe(key(a.chunks));
      expect(b.summary, `${label} threads=${threads}`).toEqual(a.summary);
    }
  }

  it.each(files)('%s: same CSV and summary on 1, 2, 3 and 8 threads', async (name) => {
    await same(readFileSync(`${DIR}/${name}.mcap`), name);
  });

  it('same problems in the same order when bytes are flipped', { timeout: 60_000 }, async () => {
    const bytes = readFileSync(`${DIR}/rosbag2_cdr_test_0.mcap`);
    const random = rng(11);
    let problems = 0;
    for (let k = 0; k < 60; k++) {
      const copy = Buffer.from(bytes);
      for (let f = 0; f < 3; f++) {
        const at = 8 + Math.floor(random() * (copy.length - 16));
        copy[at] = copy[at]! ^ (1 + Math.floor(random() * 255));
      }
      const r = await parseBuffer(copy, { checkCrc: false }).catch(() => null);
      problems += r?.summary.problems.length ?? 0;
      await same(copy, `flip round ${k}`);
    }
    expect(problems).toBeGreaterThan(0);  // the damage did reach the decoders
  });

  it('refuses a bad thread count with the option named', async () => {
    await expect(parseBuffer(new Uint8Array(8), { threads: 0 })).rejects.toThrow(/threads must be an integer 1 … 64 \(got 0\)/);
  });
});
