import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BatchManifest, type Logger } from '@argus/shared';
import { writeFileAtomic } from './atomic-file.js';
import { planEviction, type EvictableBatch } from './eviction.js';
import { outboxPaths } from './outbox-paths.js';

/** Bytes the outbox holds on disk (frames and manifests of every batch, staging included). */
export async function outboxBytes(stateDir: string): Promise<number> {
  const root = path.join(stateDir, 'outbox');
  let n = 0;
  const walk = async (d: string): Promise<void> => {
    let ents;
    try {
      ents = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else n += await stat(p).then((s) => s.size, () => 0);
    }
  };
  await walk(root);
  return n;
}

async function filesOf(dir: string, m: BatchManifest): Promise<{ fileId: string; bytes: number; chunks: number }[]> {
  const sizes = new Map<string, { bytes: number; chunks: number }>();
  let names: string[] = [];
  try {
    names = await readdir(outboxPaths.chunks(dir));
  } catch { /* empty */ }
  for (const name of names) {
    const id = name.replace(/-\d{6}\.frame$/, '');
    const s = sizes.get(id) ?? { bytes: 0, chunks: 0 };
    s.bytes += await stat(path.join(outboxPaths.chunks(dir), name)).then((x) => x.size, () => 0);
    s.chunks += 1;
    sizes.set(id, s);
  }
  return m.files.map((f) => ({ fileId: f.file_id, ...(sizes.get(f.file_id) ?? { bytes: 0, chunks: 0 }) }));
}

function dropEntries(m: BatchManifest, drops: { fileId: string; bytes: number }[], quota: number): BatchManifest {
  const ids = new Set(drops.map((d) => d.fileId));
  return {
    ...m,
    files: m.files.filter((f) => !ids.has(f.file_id)),
    dropped: [...(m.dropped ?? []), ...m.files.filter((f) => ids.has(f.file_id)).map((f) => ({
      file_id: f.file_id, topic: f.topic, chunk_count: f.chunk_count, bytes: drops.find((d) => d.fileId === f.file_id)?.bytes ?? 0,
      reason: `OUTBOX_QUOTA: outbox quota of ${quota} bytes reached`,
    }))],
  };
}

/** Thrown when a drive cannot fit in the outbox even after eviction. */
export class OutboxFullError extends Error {
  readonly code = 'OUTBOX_FULL';
}

/**
 * Admits a newly staged batch into the outbox under the quota, applying the
 * eviction policy (eviction.ts) to it and to the batches already there.
 * `batches` lists those, oldest first, and whether each is sealed (manifest
 * possibly sent). A trimmed batch on disk gets its manifest rewritten FIRST
 * (dropped streams move to `dropped`, which the hub stores with the manifest),
 * then its frames are deleted — a crash in between leaves orphan frames that
 * the uploader deletes. Returns the new batch's manifest to commit; throws
 * OutboxFullError when even full eviction cannot make room. Call under the
 * outbox lock, and commit before releasing it.
 */
export async function admitBatch(
  stateDir: string, quota: number, batches: { batchId: string; sealed: boolean }[],
  incoming: BatchManifest, incomingBytes: ReadonlyMap<string, number>, log: Logger,
): Promise<BatchManifest> {
  const manifests = new Map<string, BatchManifest>();
  const evictable: EvictableBatch[] = [];
  for (const [seq, b] of batches.entries()) {
    if (b.batchId === incoming.batch_id) continue;
    const dir = outboxPaths.batchDir(stateDir, b.batchId);
    try {
      const m = BatchManifest.parse(JSON.parse(await readFile(outboxPaths.manifest(dir), 'utf8')));
      manifests.set(b.batchId, m);
      evictable.push({ batchId: b.batchId, seq, sealed: b.sealed, files: (await filesOf(dir, m)).map((f) => ({ fileId: f.fileId, bytes: f.bytes })) });
    } catch { /* not packed: nothing to trim */ }
  }
  evictable.push({ batchId: incoming.batch_id, seq: batches.length, sealed: false, files: incoming.files.map((f) => ({ fileId: f.file_id, bytes: incomingBytes.get(f.file_id) ?? 0 })) });
  const onDisk = evictable.slice(0, -1).reduce((n, b) => n + b.files.reduce((k, f) => k + f.bytes, 0), 0);
  const other = Math.max(0, (await outboxBytes(stateDir)) - onDisk);
  const { plan, fits } = planEviction(evictable, Math.max(0, quota - other));
  if (!fits) throw new OutboxFullError(`batch ${incoming.batch_id} (${incoming.recording.name}): the outbox quota of ${quota} bytes cannot hold it even after eviction`);
  for (const [batchId, m] of manifests) {
    const drops = plan.filter((p) => p.batchId === batchId);
    if (drops.length === 0) continue;
    const dir = outboxPaths.batchDir(stateDir, batchId);
    const next = dropEntries(m, drops, quota);
    await writeFileAtomic(outboxPaths.manifest(dir), JSON.stringify(next));
    const ids = new Set(drops.map((d) => d.fileId));
    for (const name of await readdir(outboxPaths.chunks(dir)).catch(() => [] as string[])) {
      if (ids.has(name.replace(/-\d{6}\.frame$/, ''))) await unlink(path.join(outboxPaths.chunks(dir), name)).catch(() => undefined);
    }
    log.warn('outbox over quota: topics dropped', { batch_id: batchId, dropped: drops.map((d) => m.files.find((f) => f.file_id === d.fileId)?.topic), quota });
  }
  const mine = plan.filter((p) => p.batchId === incoming.batch_id);
  if (mine.length) log.warn('outbox over quota: topics dropped', { batch_id: incoming.batch_id, dropped: mine.map((d) => incoming.files.find((f) => f.file_id === d.fileId)?.topic), quota });
  return mine.length ? dropEntries(incoming, mine, quota) : incoming;
}
