import type { BatchManifest, ChunkEnvelope } from '@argus/shared';

/** A stored chunk as the consistency rules need it (a ledger row). */
export interface LedgerChunk {
  file_id: string;
  chunk_index: number;
  topic: string;
}

/**
 * Why a chunk does not fit the batch's manifest, or null when it fits.
 * A chunk fits when its file is listed, its topic is that file's topic, its
 * `chunk_count` is the manifest's and its index lies below it. A vehicle whose
 * chunks and manifest disagree is refused rather than guessed at: otherwise a
 * manifest that under-counts would complete a drive without some of its data,
 * and one that over-counts would leave it waiting forever.
 *
 * @example chunkVsManifest(manifest, envelope) // 'file t009 is not in the manifest'
 */
export function chunkVsManifest(m: Pick<BatchManifest, 'files'>, e: Pick<ChunkEnvelope, 'file_id' | 'topic' | 'chunk_index' | 'chunk_count'>): string | null {
  const f = m.files.find((x) => x.file_id === e.file_id);
  if (!f) return `file ${e.file_id} is not in the manifest`;
  if (f.topic !== e.topic) return `file ${e.file_id} carries topic ${f.topic} in the manifest, the chunk says ${e.topic}`;
  if (f.chunk_count !== e.chunk_count) return `file ${e.file_id} has ${f.chunk_count} chunks in the manifest, the chunk says ${e.chunk_count}`;
  if (e.chunk_index >= f.chunk_count) return `chunk ${e.file_id}/${e.chunk_index} lies beyond the manifest's ${f.chunk_count} chunks`;
  return null;
}

/**
 * Why a manifest contradicts chunks already stored for its batch (they may
 * arrive first), or null. Only facts the ledger keeps are compared: file,
 * topic and index.
 */
export function manifestVsLedger(m: Pick<BatchManifest, 'files'>, stored: readonly LedgerChunk[]): string | null {
  const files = new Map(m.files.map((f) => [f.file_id, f]));
  for (const c of stored) {
    const f = files.get(c.file_id);
    if (!f) return `chunk ${c.file_id}/${c.chunk_index} is stored but file ${c.file_id} is not in the manifest`;
    if (f.topic !== c.topic) return `file ${c.file_id} is stored with topic ${c.topic}, the manifest says ${f.topic}`;
    if (c.chunk_index >= f.chunk_count) return `chunk ${c.file_id}/${c.chunk_index} is stored but the manifest gives file ${c.file_id} only ${f.chunk_count} chunks`;
  }
  return null;
}
