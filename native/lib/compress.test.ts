// Parse option `compress`: chunks compressed with zstd on the parse thread
// must hold exactly the CSV a plain parse gives, chunk for chunk.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseBuffer, parseRecording, releaseChunk } from './index.js';
import { sharedPath } from './shared-data.js';
import { zstd } from './test-support.js';
import type { CsvChunk } from './types.js';

const DIR = sharedPath('recordings-public');

async function collect(path: string, opts: Parameters<typeof parseRecording>[1]): Promise<CsvChunk[]> {
  const out: CsvChunk[] = [];
  for await (const c of parseRecording(path, opts)) out.push(c);
  return out;
}

describe('compress option', () => {
  it.each(['rosbag2_talker', 'rosbag2_wbag_0', 'rosbag2_cdr_test_0'])('%s: each zstd chunk decompresses to the plain chunk', async (name) => {
    const path = `${DIR}/${name}.mcap`;
    // Small chunks so every recording gives several, across several pushes.
    const plain = await collect(path, { chunkBytes: 2048 });
    const packed = await collect(path, { chunkBytes: 2048, compress: { encoding: 'zstd', level: 3 } });
    expect(plain.length).toBeGreaterThan(1);
    expect(packed.map((c) => [c.topic, c.index, c.rows])).toEqual(plain.map((c) => [c.topic, c.index, c.rows]));
    for (const [i, c] of packed.entries()) {
      const p = plain[i] as CsvChunk;
      expect(c.encoding).toBe('zstd');
      expect(c.rawBytes).toBe(p.csv.length);
      expect(c.csv.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe(true);  // zstd frame magic
      expect(zstd.decompress(c.csv).equals(p.csv)).toBe(true);
    }
    for (const c of plain) {
      expect(c.encoding).toBeUndefined();
      expect(c.rawBytes).toBeUndefined();
    }
  });

  it('gives the same chunks with the parse on several threads', async () => {
    const path = `${DIR}/rosbag2_cdr_test_0.mcap`;
    // Topics may interleave differently between threads settings: compare per topic and index.
    const byKey = (cs: CsvChunk[]) => cs.map((c) => ({ key: `${c.topic}#${c.index}`, rawBytes: c.rawBytes, csv: zstd.decompress(c.csv).toString() })).sort((a, b) => a.key.localeCompare(b.key));
    const one = byKey(await collect(path, { chunkBytes: 1024, compress: { encoding: 'zstd' } }));
    const three = byKey(await collect(path, { chunkBytes: 1024, compress: { encoding: 'zstd' }, threads: 3 }));
    expect(one.length).toBeGreaterThan(1);
    expect(three).toEqual(one);
  });

  it('works for parseBuffer and the default level, and compresses', async () => {
    const bytes = readFileSync(`${DIR}/rosbag2_wbag_0.mcap`);
    const plain = await parseBuffer(bytes);
    const packed = await parseBuffer(bytes, { compress: { encoding: 'zstd' } });
    const raw = plain.chunks.reduce((a, c) => a + c.csv.length, 0);
    const sent = packed.chunks.reduce((a, c) => a + c.csv.length, 0);
    expect(packed.chunks.reduce((a, c) => a + (c.rawBytes ?? 0), 0)).toBe(raw);
    expect(sent).toBeLessThan(raw);
    expect(Buffer.concat(packed.chunks.map((c) => zstd.decompress(c.csv))).equals(Buffer.concat(plain.chunks.map((c) => c.csv)))).toBe(true);
  });

  it('refuses a bad compress option with the key named', async () => {
    await expect(parseBuffer(new Uint8Array(0), { compress: { encoding: 'gzip' } as never })).rejects.toThrow(/compress must be \{ encoding: 'zstd'/);
    await expect(parseBuffer(new Uint8Array(0), { compress: { encoding: 'zstd', level: 0 } })).rejects.toThrow(/compress.level must be an integer 1 … 22 \(got 0\)/);
  });
});

describe('releaseChunk', () => {
  it('frees a chunk at once (its buffer empties), and refuses copies, slices and foreign buffers', async () => {
    const { chunks } = await parseBuffer(readFileSync(`${DIR}/rosbag2_wbag_0.mcap`), { compress: { encoding: 'zstd' } });
    const plain = await parseBuffer(readFileSync(`${DIR}/rosbag2_wbag_0.mcap`));
    const c = chunks[0] as CsvChunk;
    const p = plain.chunks[0] as CsvChunk;
    const copy = Buffer.from(c.csv);
    expect(releaseChunk({ ...c, csv: copy })).toBe(false);
    expect(releaseChunk({ ...c, csv: c.csv.subarray(1) })).toBe(false);
    expect(releaseChunk({ ...c, csv: Buffer.from('not a chunk') })).toBe(false);
    expect(c.csv.length).toBeGreaterThan(0);
    expect(releaseChunk(c)).toBe(true);
    expect(c.csv.length).toBe(0);
    expect(releaseChunk(c)).toBe(false);  // already released
    expect(zstd.decompress(copy).equals(p.csv)).toBe(true);  // the copy taken before is intact
    const text = p.csv.toString();
    expect(releaseChunk(p)).toBe(true);  // plain CSV chunks too
    expect(p.csv.length).toBe(0);
    // The freed buffer goes back to the pool: the next parse still gives the same CSV.
    const again = await parseBuffer(readFileSync(`${DIR}/rosbag2_wbag_0.mcap`));
    expect((again.chunks[0] as CsvChunk).csv.toString()).toBe(text);
  });
});
