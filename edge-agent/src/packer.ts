import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileBatch, parseRecording, releaseChunk, type CsvChunk, type FileOp, type ParseOptions } from '@argus/native';
import { encodeChunkFrameHead, type BatchManifest, type ChunkEnvelope, type Logger, type ManifestFile } from '@argus/shared';
import { writeFileAtomic } from './atomic-file.js';
import { batchIdFor } from './batch-id.js';
import { DEFAULT_CODEC, encodeChunk, type ChunkCodec } from './chunk-codec.js';
import { outboxPaths } from './outbox-paths.js';
import { vehicleInfoFromMetadata } from './vehicle-info.js';

/** A recording turned into an outbox entry: manifest plus one frame file per chunk. */
export interface PackedBatch {
  batchId: string;
  dir: string;
  manifest: BatchManifest;
  /** Frame file names inside `dir/chunks`, in upload order. */
  frames: string[];
}

export { outboxPaths } from './outbox-paths.js';

/** How to pack one recording. */
export interface PackOptions {
  stateDir: string;
  vin?: string | undefined;
  parse: ParseOptions;
  log: Logger;
  /**
   * Called once everything is staged and before anything enters the outbox,
   * with the manifest and the frame bytes per file id (exact); returns the
   * manifest to commit (files may be moved to `dropped`). Throwing aborts the pack.
   */
  admit?: (m: BatchManifest, frameBytes: ReadonlyMap<string, number>) => Promise<BatchManifest>;
  /** How chunks are compressed (default zstd level 1). */
  codec?: ChunkCodec;
  now?: () => Date;
}

/**
 * Parses a recording with the native parser and writes compressed CSV chunks as
 * MQTT/HTTP frames into the outbox, then the manifest last (its presence marks
 * the batch as fully packed; a half-packed directory is wiped and redone).
 */
export async function packRecording(file: string, o: PackOptions): Promise<PackedBatch> {
  const { size } = await stat(file);
  const tmpId = `packing-${createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16)}`;
  // Staging lives outside the outbox: it is transient and redone after a crash, and the quota counts the outbox only.
  const work = path.join(o.stateDir, 'staging', tmpId);
  await rm(work, { recursive: true, force: true });
  try {
    return await packInto(file, size, work, o);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function packInto(file: string, size: number, work: string, o: PackOptions): Promise<PackedBatch> {
  const fileIds = new Map<string, string>();
  const files = new Map<string, ManifestFile>();
  const envelopes: StagedEnvelope[] = [];
  const pending: { fileId: string; index: number; headerBytes: number }[] = [];
  const frameBytes = new Map<string, number>();
  const codec = o.codec ?? DEFAULT_CODEC;
  // zstd runs on the parse thread (the CSV text never reaches JS, its buffer is reused at once); gzip in JS.
  const gen = parseRecording(file, codec.encoding === 'zstd' ? { ...o.parse, compress: { encoding: 'zstd', level: codec.level } } : o.parse);
  // Frames are written a few at a time, each group in one native task (fileBatch): one trip off
  // the event loop per group instead of an open, a writev and a close per frame.
  const toStage: { op: FileOp; chunk: CsvChunk | null }[] = [];
  let toStageBytes = 0;
  const stageFrames = async () => {
    const group = toStage.splice(0);
    toStageBytes = 0;
    if (group.length === 0) return;
    await fileBatch(group.map((g) => g.op));
    // Written: free the chunks' bytes now (not at the next GC).
    for (const g of group) if (g.chunk) releaseChunk(g.chunk);
  };
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
    const data = c.encoding === 'zstd' ? c.csv : await encodeChunk(codec, c.csv);
    const rawLength = c.rawBytes ?? c.csv.length;
    const f = files.get(fileId) as ManifestFile;
    f.chunk_count += 1;
    f.rows += c.rows;
    f.raw_bytes += rawLength;
    const staged: StagedEnvelope = { v: 1, file_id: fileId, topic: c.topic, chunk_index: c.index, sha256: createHash('sha256').update(data).digest('hex'), content_encoding: codec.encoding, byte_length: data.length, raw_length: rawLength, rows: c.rows };
    envelopes.push(staged);
    // Bounded memory: the compressed chunk waits on disk, already framed, until the batch id
    // and chunk count are known; its envelope slot is sized for the longest values they can take.
    // No fsync: a crash while packing redoes the whole pack (the journal still says 'detected').
    if (envelopes.length === 1) await mkdir(outboxPaths.chunks(work), { recursive: true });
    const slot = encodeChunkFrameHead({ ...staged, batch_id: PLACEHOLDER_BATCH_ID, chunk_count: Number.MAX_SAFE_INTEGER });
    toStage.push({ op: { op: 'write', path: outboxPaths.frame(work, fileId, c.index), data: [slot, data] }, chunk: data === c.csv ? c : null });
    toStageBytes += data.length;
    frameBytes.set(fileId, (frameBytes.get(fileId) ?? 0) + slot.length + data.length);  // the frame's exact size
    pending.push({ fileId, index: c.index, headerBytes: slot.length - 8 });
    // (Staging releases the chunk: `data` is empty after this.)
    if (toStage.length >= STAGE_GROUP_FRAMES || toStageBytes >= STAGE_GROUP_BYTES) await stageFrames();
    if (Date.now() - t0 > 2000) {
      o.log.info('packing', { file, chunks: envelopes.length });
      t0 = Date.now();
    }
    next = await gen.next();
  }
  await stageFrames();
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
  if (manifest.files.length === 0) throw Object.assign(new Error(`${file}: the recording holds no messages on the selected topics`), { code: 'NO_MESSAGES' });
  const final = o.admit ? await o.admit(manifest, frameBytes) : manifest;
  const keep = new Set(final.files.map((f) => f.file_id));
  await rm(dir, { recursive: true, force: true });
  const frames: string[] = [];
  let finish: FileOp[] = [];
  for (const [i, p] of pending.entries()) {
    if (!keep.has(p.fileId)) continue;
    const env = envelopes[i] as StagedEnvelope;
    const full: ChunkEnvelope = { ...env, batch_id: batchId, chunk_count: (files.get(p.fileId) as ManifestFile).chunk_count };
    const target = outboxPaths.frame(dir, p.fileId, p.index);
    if (frames.length === 0) await mkdir(outboxPaths.chunks(dir), { recursive: true });
    // The final head goes into its slot in place and the file moves into the batch: the data is
    // written once.
    finish.push({ op: 'patch', path: outboxPaths.frame(work, p.fileId, p.index), at: 0, data: encodeChunkFrameHead(full, p.headerBytes), renameTo: target });
    frames.push(path.basename(target));
    if (finish.length >= FINISH_GROUP) {
      await fileBatch(finish);
      finish = [];
    }
  }
  await fileBatch(finish);
  // Every frame must be on disk before the manifest that declares the batch packed.
  await fsyncAll(frames.map((f) => path.join(outboxPaths.chunks(dir), f)), outboxPaths.chunks(dir));
  await writeFileAtomic(outboxPaths.manifest(dir), JSON.stringify(final));
  o.log.info('recording packed', { file, batch_id: batchId, chunks: frames.length, topics: final.files.length, dropped: final.dropped?.length ?? 0, truncated: summary.truncated });
  return { batchId, dir, manifest: final, frames };
}

type StagedEnvelope = Omit<ChunkEnvelope, 'batch_id' | 'chunk_count'>;

/** Same length as every batch id (a UUID), for sizing envelope slots. */
const PLACEHOLDER_BATCH_ID = '00000000-0000-0000-0000-000000000000';

/** Frames staged per native task, and the compressed bytes held back for it at most. */
const STAGE_GROUP_FRAMES = 8;
const STAGE_GROUP_BYTES = 2 * 1024 * 1024;
/** Frames finished (head written, moved into the batch) per native task. */
const FINISH_GROUP = 256;

/** Lists frame files of a packed batch (what remains in the outbox), sorted. */
export async function remainingFrames(dir: string): Promise<string[]> {
  try {
    return (await readdir(outboxPaths.chunks(dir))).filter((f) => f.endsWith('.frame')).sort();
  } catch {
    return [];
  }
}

/**
 * fsyncs files, then their directory. Four native tasks share the files, so
 * several fsyncs are in flight and the file system can batch their journal
 * commits; each task runs its share as plain syscalls.
 */
async function fsyncAll(files: string[], dir: string): Promise<void> {
  const lanes = Math.min(FSYNC_LANES, files.length);
  const shares = Array.from({ length: lanes }, (_, lane) => files.filter((_f, i) => i % lanes === lane).map((f): FileOp => ({ op: 'fsync', path: f })));
  await Promise.all(shares.map((ops) => fileBatch(ops)));
  await fileBatch([{ op: 'fsync', path: dir }]);
}

/** fsync tasks in flight at once (libuv's pool has four threads by default). */
const FSYNC_LANES = 4;
