import path from 'node:path';

/** Upper bound of a frame's bytes beyond its payload (magic, length, envelope JSON). */
export const FRAME_OVERHEAD = 640;

/** Outbox paths of one batch, defined once. */
export const outboxPaths = {
  batchDir: (stateDir: string, batchId: string) => path.join(stateDir, 'outbox', batchId),
  manifest: (dir: string) => path.join(dir, 'manifest.json'),
  chunks: (dir: string) => path.join(dir, 'chunks'),
  frame: (dir: string, fileId: string, index: number) => path.join(dir, 'chunks', `${fileId}-${String(index).padStart(6, '0')}.frame`),
};
