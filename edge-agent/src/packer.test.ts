import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeChunkFrame, type Logger } from '@argus/shared';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { describe, expect, it } from 'vitest';
import { decompress as unzstd } from 'zstd-napi';
import { outboxPaths, packRecording } from './packer.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } } as unknown as Logger;

describe('packRecording', () => {
  it.each(['zstd', 'gzip'] as const)('writes each %s frame once, whole and exact: envelope filled in, data verifiable, sizes as announced', async (encoding) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-pack-'));
    const file = path.join(dir, 'drive.mcap');
    await writeDrive({ out: file, seed: 7, platform: 'J7', vin: randomVin(Rng.derive(7, 'vin'), 'J7'), durationS: 20, faults: [] });
    let announced = new Map<string, number>();
    const b = await packRecording(file, {
      stateDir: path.join(dir, 'state'), log: silent, codec: { encoding, level: 1 }, parse: { chunkBytes: 64 * 1024 },
      admit: async (m, frameBytes) => ((announced = new Map(frameBytes)), m),
    });
    const names = (await readdir(outboxPaths.chunks(b.dir))).sort();
    expect(names).toEqual([...b.frames].sort());
    expect(names.length).toBeGreaterThan(b.manifest.files.length);  // several chunks per topic
    const onDisk = new Map<string, number>();
    for (const name of names) {
      const bytes = await readFile(path.join(outboxPaths.chunks(b.dir), name));
      const { envelope: e, data } = decodeChunkFrame(bytes);
      const f = b.manifest.files.find((x) => x.file_id === e.file_id);
      expect(e.batch_id).toBe(b.batchId);
      expect(e.chunk_count).toBe(f?.chunk_count);
      expect(e.content_encoding).toBe(encoding);
      expect(createHash('sha256').update(data).digest('hex')).toBe(e.sha256);
      const csv = encoding === 'zstd' ? unzstd(data) : gunzipSync(data);
      expect(csv.length).toBe(e.raw_length);
      expect(csv.toString('utf8', 0, 12)).toBe('log_time_ns,');
      onDisk.set(e.file_id, (onDisk.get(e.file_id) ?? 0) + (await stat(path.join(outboxPaths.chunks(b.dir), name))).size);
    }
    expect(onDisk).toEqual(announced);
    // Nothing is left in staging.
    expect(await readdir(path.join(dir, 'state', 'staging'))).toEqual([]);
  });
});
