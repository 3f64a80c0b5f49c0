import type { Logger } from '@argus/shared';
import { createGatherer } from '../gather/gatherer.js';
import type { DriveFeatures } from '../gather/features.js';
import { watchesFromKb } from '../gather/watch-spec.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { UnrecoverableError } from '../queue/job-queue.js';
import type { BatchStore } from '../store/batch-store.js';
import { ObjectCorruptError, type ObjectStore } from '../store/object-store.js';
import { ContentDecodeError, decodeStored, encodingOfKey } from '../content/content-codec.js';

/**
 * Gather: streams every chunk of a drive, file by file in chunk order, through
 * the gatherer and stores the drive's features. One chunk in memory at a time.
 */
export async function gatherBatch(batchId: string, d: { batches: BatchStore; objects: ObjectStore; kb: KnowledgeBase; log: Logger }): Promise<DriveFeatures> {
  const batch = await d.batches.get(batchId);
  if (!batch?.manifest) throw new UnrecoverableError(`batch ${batchId} has no manifest`);
  const ledger = await d.batches.chunks(batchId);
  const byFile = new Map<string, typeof ledger>();
  for (const c of ledger) byFile.set(c.file_id, [...(byFile.get(c.file_id) ?? []), c]);
  const g = createGatherer({ watches: watchesFromKb(d.kb) });
  const t0 = Date.now();
  let bytes = 0;
  for (const f of batch.manifest.files) {
    const chunks = (byFile.get(f.file_id) ?? []).filter((c) => c.chunk_index < f.chunk_count).sort((a, b) => a.chunk_index - b.chunk_index);
    if (chunks.length !== f.chunk_count) throw new UnrecoverableError(`batch ${batchId} file ${f.file_id}: ${chunks.length} of ${f.chunk_count} chunks in the ledger`);
    for (const c of chunks) {
      const csv = await d.objects.get(c.object_key).then((data) => decodeStored(encodingOfKey(c.object_key), data, c.raw_length)).catch((err: unknown) => {
        // Damaged on disk, or bytes the vehicle sent (sha256) that do not decode: another attempt reads the same bytes.
        const where = `batch ${batchId} file ${f.file_id} chunk ${c.chunk_index}`;
        if (err instanceof ObjectCorruptError) throw new UnrecoverableError(`${where}: ${err.message}`); // its message names the key
        if (err instanceof ContentDecodeError) throw new UnrecoverableError(`${where} (${c.object_key}): ${err.message}`);
        throw err;
      });
      bytes += csv.length;
      g.addChunk(f.topic, csv);
    }
  }
  const features = g.finish();
  d.log.info('gathered', { batch_id: batchId, csv_bytes: bytes, topics: Object.keys(features.topics).length, ms: Date.now() - t0 });
  return features;
}
