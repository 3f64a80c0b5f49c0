import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { BatchManifest, ChunkEnvelope } from '@argus/shared';

/** A one-file, one-chunk batch built by hand (no simulator): its manifest, envelope and gzip bytes. */
export interface TinyBatch {
  batchId: string;
  manifest: BatchManifest;
  envelope: ChunkEnvelope;
  data: Buffer;
  /** The CSV before compression. */
  csv: Buffer;
}

/** Builds a tiny but complete batch of `rows` CSV rows on topic /compute/stats for `vin`. */
export function tinyBatch(vin: string, rows = 20, batchId: string = randomUUID()): TinyBatch {
  const lines = ['log_time_ns,publish_time_ns,sequence,cpu_temp_c'];
  for (let i = 0; i < rows; i++) lines.push(`${1e9 + i * 1e8},${1e9 + i * 1e8},${i},${50 + (i % 5)}`);
  const raw = Buffer.from(`${lines.join('\n')}\n`);
  const data = gzipSync(raw);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const envelope: ChunkEnvelope = {
    v: 1, batch_id: batchId, file_id: 't000', topic: '/compute/stats', chunk_index: 0, chunk_count: 1, sha256,
    content_encoding: 'gzip', byte_length: data.length, raw_length: raw.length, rows,
  };
  const manifest = {
    v: 1, batch_id: batchId, vehicle: { vin, platform: 'J7', firmware: { adcu: '4.6.2' } },
    recording: { name: 'tiny.mcap', bytes: 1000, truncated: false },
    files: [{ file_id: 't000', topic: '/compute/stats', chunk_count: 1, rows, raw_bytes: raw.length }],
    topics: [], problems: [], created_at: new Date().toISOString(),
  } satisfies BatchManifest;
  return { batchId, manifest, envelope, data, csv: raw };
}
