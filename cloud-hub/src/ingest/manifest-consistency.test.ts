import { describe, expect, it } from 'vitest';
import { chunkVsManifest, manifestVsLedger } from './manifest-consistency.js';

const manifest = { files: [{ file_id: 't000', topic: '/compute/stats', chunk_count: 3, rows: 30, raw_bytes: 900 }] };
const chunk = { file_id: 't000', topic: '/compute/stats', chunk_index: 2, chunk_count: 3 };

describe('chunkVsManifest', () => {
  it('accepts a chunk the manifest lists', () => {
    expect(chunkVsManifest(manifest, chunk)).toBeNull();
  });
  it('names each way a chunk can contradict the manifest', () => {
    expect(chunkVsManifest(manifest, { ...chunk, file_id: 't009' })).toBe('file t009 is not in the manifest');
    expect(chunkVsManifest(manifest, { ...chunk, topic: '/imu' })).toMatch(/topic \/compute\/stats in the manifest, the chunk says \/imu/);
    expect(chunkVsManifest(manifest, { ...chunk, chunk_index: 3, chunk_count: 4 })).toMatch(/has 3 chunks in the manifest, the chunk says 4/);
  });
});

describe('manifestVsLedger', () => {
  it('accepts a manifest that covers every stored chunk', () => {
    expect(manifestVsLedger(manifest, [{ file_id: 't000', chunk_index: 0, topic: '/compute/stats' }, { file_id: 't000', chunk_index: 2, topic: '/compute/stats' }])).toBeNull();
    expect(manifestVsLedger(manifest, [])).toBeNull();
  });
  it('refuses a manifest that under-counts, omits a file or renames a topic', () => {
    expect(manifestVsLedger(manifest, [{ file_id: 't000', chunk_index: 3, topic: '/compute/stats' }])).toMatch(/only 3 chunks/);
    expect(manifestVsLedger(manifest, [{ file_id: 't001', chunk_index: 0, topic: '/imu' }])).toMatch(/file t001 is not in the manifest/);
    expect(manifestVsLedger(manifest, [{ file_id: 't000', chunk_index: 0, topic: '/imu' }])).toMatch(/stored with topic \/imu/);
  });
});
