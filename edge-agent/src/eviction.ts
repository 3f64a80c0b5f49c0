/** A per-topic stream of a batch in the outbox, as eviction sees it. */
export interface EvictableFile {
  fileId: string;
  bytes: number;
}

/** A batch in the outbox; only batches whose manifest has not been sent may be trimmed. */
export interface EvictableBatch {
  batchId: string;
  /** Order of arrival (older first). */
  seq: number;
  /** The manifest may already be on the hub: the batch must go whole, untouched. */
  sealed: boolean;
  files: EvictableFile[];
}

/** What to drop: per batch, the file ids. */
export type EvictionPlan = { batchId: string; fileId: string; bytes: number }[];

/**
 * The outbox eviction policy (pure). While the outbox is above `quota` bytes:
 * take the oldest batch not yet sealed (manifest not sent), drop its largest
 * topic stream, and repeat — but never a batch's last stream, so every drive
 * still reaches the hub with a manifest that lists what was dropped. Sealed
 * batches are never touched (the hub already counts on their chunks). Returns
 * the plan and whether it brings the outbox under quota.
 */
export function planEviction(batches: EvictableBatch[], quota: number): { plan: EvictionPlan; fits: boolean } {
  let used = batches.reduce((n, b) => n + b.files.reduce((m, f) => m + f.bytes, 0), 0);
  const plan: EvictionPlan = [];
  for (const b of [...batches].filter((x) => !x.sealed).sort((x, y) => x.seq - y.seq)) {
    const files = [...b.files].sort((x, y) => y.bytes - x.bytes || x.fileId.localeCompare(y.fileId));
    for (const f of files.slice(0, -1)) {
      if (used <= quota) break;
      plan.push({ batchId: b.batchId, fileId: f.fileId, bytes: f.bytes });
      used -= f.bytes;
    }
  }
  return { plan, fits: used <= quota };
}
