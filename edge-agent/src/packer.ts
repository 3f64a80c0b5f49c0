import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parseRecording, type ParseOptions } from '@argus/native';
import { encodeChunkFrame, type BatchManifest, type ChunkEnvelope, type Logger, type ManifestFile } from '@argus/shared';
import { writeFileAtomic } from './atomic-file.js';
import { batchIdFor } from './batch-id.js';
import { vehicleInfoFromMetadata } from './vehicle-info.js';

const gzipAsync = promisify(gzip);

/** A recording turned into an outbox entry: manifest plus one frame file per chunk. */
export interface PackedBatch {
  batchId: string;
  dir: string;
  manifest: BatchManifest;
  /** Frame file names inside `dir/chunks`, in upload order. */
  frames: string[];
}

/** Outbox paths of one batch, defined once. */
export const outboxPaths = {
  batchDir: (stateDir: string, batchId: string) => path.join(stateDir, 'outbox', batchId),
  manifest: (dir: string) => path.join(dir, 'manifest.json'),
  chunks: (dir: string) => path.join(dir, 'chunks'),
  frame: (dir: string, fileId: string, index: number) => path.join(dir, 'chunks', `${fileId}-${String(index).padStart(6, '0')}.frame`),
};

/**
 * Parses a recording with the native parser and writes gzip'd CSV chunks as
 * MQTT/HTTP frames into the outbox, then the manifest last (its presence marks
 * the batch as fully packed; a half-packed directory is wiped and redone).
 */
export async function packRecording(file: string, o: { stateDir: string; vin?: string | undefined; parse: ParseOptions; log: Logger; now?: () => Date }): Promise<PackedBatch> {
  const { size } = await stat(file);
  const tmpId = `packing-${createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16)}`;
  const work = outboxPaths.batchDir(o.stateDir, tmpId);
  await rm(work, { recursive: true, force: true });
  try {
    return await packInto(file, size, work, o);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function packInto(file: string, size: number, work: string, o: { stateDir: string; vin?: string | undefined; parse: ParseOptions; log: Logger; now?: () => Date }): Promise<PackedBatch> {
  const fileIds = new Map<string, string>();
  const files = new Map<string, ManifestFile>();
  const envelopes: Omit<ChunkEnvelope, 'batch_id' | 'chunk_count'>[] = [];
  const pending: { fileId: string; index: number }[] = [];
  const gen = parseRecording(file, o.parse);
  let next = await gen.next();
  let t0 = Date.now();
  while (!next.done) {
    const c = next.value;
    let fileId = fileIds.get(c.topic);
    if (!fileId) {
      fileId = `t${String(fileIds.size).padStart(3, '0')}`;
      fileIds.set(c.topic, fileId);
      files.set(fileId, { file_id: fileId, topic: c.topic, chunk_count: 0, rows: 0, raw_bytes: 0 });
    }
    const data = await gzipAsync(c.csv, { level: 6 });
    const f = files.get(fileId) as ManifestFile;
    f.chunk_count += 1;
    f.rows += c.rows;
    f.raw_bytes += c.csv.length;
    envelopes.push({ v: 1, file_id: fileId, topic: c.topic, chunk_index: c.index, sha256: createHash('sha256').update(data).digest('hex'), content_encoding: 'gzip', byte_length: data.length, raw_length: c.csv.length, rows: c.rows });
    // Bounded memory: the compressed chunk waits on disk until the batch id is known.
    await writeFileAtomic(outboxPaths.frame(work, fileId, c.index), data);
    pending.push({ fileId, index: c.index });
    if (Date.now() - t0 > 2000) {
      o.log.info('packing', { file, chunks: envelopes.length });
      t0 = Date.now();
    }
    next = await gen.next();
  }
  const summary = next.value;
  const vehicle = vehicleInfoFromMetadata(summary.vehicle, file, o.vin);
  const batchId = batchIdFor(vehicle.vin, vehicle.drive_id ?? '', path.basename(file));
  const dir = outboxPaths.batchDir(o.stateDir, batchId);
  const manifest: BatchManifest = {
    v: 1,
    batch_id: batchId,
    vehicle,
    recording: { name: path.basename(file), bytes: size, truncated: summary.truncated },
    files: [...files.values()],
    topics: summary.topics.map((t) => ({ topic: t.topic, message_encoding: t.messageEncoding, schema_name: t.schemaName, message_count: t.messageCount, first_log_time_ns: t.firstLogTimeNs, last_log_time_ns: t.lastLogTimeNs })),
    problems: summary.problems.slice(0, 1000).map((p) => ({ code: p.code, message: p.message, offset: p.offset })),
    created_at: (o.now ?? (() => new Date()))().toISOString(),
  };
  if (manifest.files.length === 0) throw new Error(`${file}: the recording holds no messages on the selected topics`);
  await rm(dir, { recursive: true, force: true });
  const frames: string[] = [];
  for (const [i, p] of pending.entries()) {
    const env = envelopes[i] as Omit<ChunkEnvelope, 'batch_id' | 'chunk_count'>;
    const full: ChunkEnvelope = { ...env, batch_id: batchId, chunk_count: (files.get(p.fileId) as ManifestFile).chunk_count };
    const staged = outboxPaths.frame(work, p.fileId, p.index);
    const target = outboxPaths.frame(dir, p.fileId, p.index);
    await writeFileAtomic(target, encodeChunkFrame(full, await readFile(staged)));
    await unlink(staged);
    frames.push(path.basename(target));
  }
  await writeFileAtomic(outboxPaths.manifest(dir), JSON.stringify(manifest));
  o.log.info('recording packed', { file, batch_id: batchId, chunks: frames.length, topics: files.size, truncated: summary.truncated });
  return { batchId, dir, manifest, frames };
}

/** Lists frame files of a packed batch (what remains in the outbox), sorted. */
export async function remainingFrames(dir: string): Promise<string[]> {
  try {
    return (await readdir(outboxPaths.chunks(dir))).filter((f) => f.endsWith('.frame')).sort();
  } catch {
    return [];
  }
}
