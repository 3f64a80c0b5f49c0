import { chunkId, type BatchManifest, type BatchState, type ChunkAck, type ChunkEnvelope, type Logger } from '@argus/shared';
import type { Barrier, BarrierAnswer, ChunkEvent } from '../barrier/barrier.js';
import type { BatchStore } from '../store/batch-store.js';
import { objectKeys, type ObjectStore } from '../store/object-store.js';
import { IngestError } from './ingest-error.js';
import { gzipInflatedLength, InflateError } from './inflated-length.js';
import { checkDecoded } from '../content/verify-content.js';
import type { ContentDecodeError } from '../content/content-codec.js';
import { inspectContent, type ContentChecker } from '../content/content-check.js';
import { chunkVsManifest, manifestVsLedger } from './manifest-consistency.js';
import { zstdChunkShape, ZstdFrameError } from '../content/zstd-frame.js';

/** What ingest needs from the rest of the hub. */
export interface IngestDeps {
  objects: ObjectStore;
  batches: BatchStore;
  /** Decides when a batch is complete (PgBarrier embedded, RedisBarrier in scale mode). */
  barrier: Barrier;
  /** Called once per batch, by whichever upload completed it (the barrier fired). */
  onUploadComplete(batchId: string): Promise<void>;
  /** Called after any change of a batch's upload progress (for status events). */
  onProgress?(batchId: string): void;
  maxRawChunkBytes: number;
  /** Runs the sha256 and zstd decode checks off the event loop; inline when absent. */
  content?: ContentChecker;
  log: Logger;
}

/**
 * Takes chunks and manifests from any transport (MQTT or HTTP), checks them,
 * stores them, and runs the barrier. Throws IngestError for anything refused;
 * a refusal leaves nothing stored.
 */
export class Ingest {
  constructor(private readonly d: IngestDeps) {}

  /** Stores a chunk sent by vehicle `vin`. Idempotent by chunk id + sha256. */
  async chunk(vin: string, e: ChunkEnvelope, data: Buffer): Promise<ChunkAck> {
    const id = chunkId(e);
    if (data.length !== e.byte_length) {
      throw new IngestError('LENGTH_MISMATCH', `vehicle ${vin} chunk ${id}: envelope says ${e.byte_length} bytes, got ${data.length}`);
    }
    // zstd: the frame's structure is read without decoding it (zstd-frame.ts). Its header's content size
    // settles raw_length; only zstd without one is decoded here, with the sha256, off the event loop
    // (unless it claims more than the limit, refused below). Gather decodes every chunk, held to raw_length.
    const shape = e.content_encoding === 'zstd' ? readShape(data) : undefined;
    const decodeHere = shape?.kind === 'unsized' && e.raw_length <= this.d.maxRawChunkBytes ? e.raw_length : undefined;
    const facts = await (this.d.content?.inspect(data, decodeHere) ?? inspectContent(data, decodeHere));
    const sha = facts.sha256;
    if (sha !== e.sha256) {
      throw new IngestError('SHA256_MISMATCH', `vehicle ${vin} chunk ${id}: sha256 of the bytes is ${sha}, envelope says ${e.sha256}`);
    }
    // The batch and the chunk's ledger row in one lookup (grouped with other chunks' in PgBatchStore).
    const { batch, chunk: existing } = await this.d.batches.chunkContext(e.batch_id, e.file_id, e.chunk_index);
    if (batch && batch.vin !== vin) throw new IngestError('FOREIGN_BATCH', `vehicle ${vin} chunk ${id}: batch belongs to another vehicle`);
    const misfit = batch?.manifest ? chunkVsManifest(batch.manifest, e) : null;
    if (misfit) throw new IngestError('MANIFEST_MISMATCH', `vehicle ${vin} chunk ${id}: ${misfit}`);
    if (existing) {
      if (existing.sha256 !== e.sha256) throw new IngestError('CHUNK_CONFLICT', `vehicle ${vin} chunk ${id}: already stored with a different sha256`);
      await this.runBarrier(e.batch_id, await this.d.barrier.record(event(e)), batch?.state);
      return ack(e, true);
    }
    await this.checkContent(vin, e, data, shape, facts.decoded);
    const key = objectKeys.chunk(e.batch_id, e.file_id, e.chunk_index, e.sha256, e.content_encoding);
    await this.d.objects.put(key, data);
    const r = await this.d.batches.recordChunk(vin, e, key);
    if (r.outcome === 'conflict') throw new IngestError('CHUNK_CONFLICT', `vehicle ${vin} chunk ${id}: already stored with a different sha256`);
    this.d.onProgress?.(e.batch_id);
    await this.runBarrier(e.batch_id, await this.d.barrier.record(event(e)), batch?.state);
    return ack(e, r.outcome === 'duplicate');
  }

  /** Records a batch manifest sent by vehicle `vin`. */
  async manifest(vin: string, m: BatchManifest): Promise<{ duplicate: boolean }> {
    if (m.vehicle.vin !== vin) throw new IngestError('FORBIDDEN', `vehicle ${vin} sent a manifest for vehicle ${m.vehicle.vin} (batch ${m.batch_id})`);
    const batch = await this.d.batches.get(m.batch_id);
    if (batch && batch.vin !== vin) throw new IngestError('FOREIGN_BATCH', `vehicle ${vin}: batch ${m.batch_id} belongs to another vehicle`);
    // Chunks may come before their manifest: a manifest that contradicts them is refused
    // (a chunk racing this check is still held to the manifest by the barrier's count).
    if (batch && !batch.manifest && batch.chunks_stored > 0) {
      const lie = manifestVsLedger(m, await this.d.batches.chunks(m.batch_id));
      if (lie) throw new IngestError('MANIFEST_MISMATCH', `vehicle ${vin}: manifest of batch ${m.batch_id} contradicts its stored chunks: ${lie}`);
    }
    const r = await this.d.batches.putManifest(m);
    if (r.outcome === 'conflict') throw new IngestError('MANIFEST_CONFLICT', `vehicle ${vin}: batch ${m.batch_id} already has a different manifest`);
    if (r.outcome === 'stored') {
      await this.d.objects.put(objectKeys.manifest(m.batch_id), Buffer.from(JSON.stringify(m)));
      this.d.log.info('manifest stored', { vin, batch_id: m.batch_id, files: m.files.length });
      this.d.onProgress?.(m.batch_id);
    }
    await this.runBarrier(m.batch_id, await this.d.barrier.expect(m.batch_id, m.files.map((f) => ({ fileId: f.file_id, chunkCount: f.chunk_count }))), batch?.state);
    return { duplicate: r.outcome === 'duplicate' };
  }

  /**
   * Acts on the barrier's answer. The batch's state in Postgres is the source
   * of truth: PgBarrier moved it already when it fired; after a RedisBarrier
   * fire this guarded transition moves it. On `done` the same transition
   * recovers a hub that crashed between the Redis fire and the state change
   * (the vehicle re-sends its unacknowledged chunk); it matches nothing otherwise,
   * so it is skipped when the batch was already past `uploading` (`stateBefore`).
   */
  private async runBarrier(batchId: string, answer: BarrierAnswer, stateBefore: BatchState | undefined): Promise<void> {
    if (answer !== 'fired' && answer !== 'done') return;
    if (answer === 'done' && stateBefore !== undefined && stateBefore !== 'pending' && stateBefore !== 'uploading') return;
    const moved = await this.d.batches.transition(batchId, ['pending', 'uploading'], 'uploaded', { barrier: answer });
    if (answer === 'fired' || moved) {
      this.d.log.info('barrier fired: all chunks stored', { batch_id: batchId, recovered: answer === 'done' });
      await this.d.onUploadComplete(batchId);
    }
  }

  /**
   * Checks the advertised raw length: zstd by its frame's structure (`shape`)
   * or, when that cannot tell, by its decode outcome (`decoded`, decoded into
   * a buffer of exactly raw_length); gzip by inflating within the size limit
   * (gzip bomb guard).
   */
  private async checkContent(vin: string, e: ChunkEnvelope, data: Buffer, shape: ZstdShape | undefined, decoded: number | ContentDecodeError | undefined): Promise<void> {
    if (e.raw_length > this.d.maxRawChunkBytes) {
      throw new IngestError('TOO_LARGE', `vehicle ${vin} chunk ${chunkId(e)}: raw length ${e.raw_length} exceeds ${this.d.maxRawChunkBytes}`);
    }
    if (e.content_encoding === 'identity') {
      if (data.length !== e.raw_length) throw new IngestError('RAW_LENGTH_MISMATCH', `vehicle ${vin} chunk ${chunkId(e)}: raw length ${e.raw_length} != ${data.length}`);
      return;
    }
    if (e.content_encoding === 'zstd') {
      const who = `vehicle ${vin} chunk ${chunkId(e)}`;
      if (shape?.kind === 'invalid') throw new IngestError('BAD_CONTENT', `${who}: ${shape.error.message}`, { cause: shape.error });
      if (shape?.kind === 'sized') {
        if (shape.contentSize !== e.raw_length) throw new IngestError('RAW_LENGTH_MISMATCH', `${who}: its zstd frame says ${shape.contentSize} bytes, envelope says ${e.raw_length}`);
        return;
      }
      if (decoded === undefined) throw new Error('ingest: zstd chunk checked without its decode outcome');
      return checkDecoded(who, e, decoded);
    }
    let rawLength: number;
    try {
      rawLength = await gzipInflatedLength(data, this.d.maxRawChunkBytes, e.raw_length);
    } catch (cause) {
      if (!(cause instanceof InflateError)) throw cause;
      const tooBig = cause.code === 'TOO_LARGE';
      throw new IngestError(cause.code, `vehicle ${vin} chunk ${chunkId(e)}: ${tooBig ? `inflates beyond ${this.d.maxRawChunkBytes} bytes` : 'not valid gzip'}`, { cause });
    }
    if (rawLength !== e.raw_length) {
      throw new IngestError('RAW_LENGTH_MISMATCH', `vehicle ${vin} chunk ${chunkId(e)}: inflates to ${rawLength} bytes, envelope says ${e.raw_length}`);
    }
  }
}

/** A zstd chunk's structure as ingest uses it (see zstdChunkShape). */
type ZstdShape = ReturnType<typeof zstdChunkShape> | { kind: 'invalid'; error: ZstdFrameError };

function readShape(data: Buffer): ZstdShape {
  try {
    return zstdChunkShape(data);
  } catch (err) {
    if (err instanceof ZstdFrameError) return { kind: 'invalid', error: err };
    throw err;
  }
}

function event(e: ChunkEnvelope): ChunkEvent {
  return { batchId: e.batch_id, fileId: e.file_id, chunkIndex: e.chunk_index, sha256: e.sha256 };
}

function ack(e: ChunkEnvelope, duplicate: boolean): ChunkAck {
  return { v: 1, batch_id: e.batch_id, file_id: e.file_id, chunk_index: e.chunk_index, ok: true, duplicate };
}
