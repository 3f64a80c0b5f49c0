import path from 'node:path';

/** Outbox paths of one batch, defined once. */
export const outboxPaths = {
  batchDir: (stateDir: string, batchId: string) => path.join(stateDir, 'outbox', batchId),
  manifest: (dir: string) => path.join(dir, 'manifest.json'),
  chunks: (dir: string) => path.join(dir, 'chunks'),
  frame: (dir: string, fileId: string, index: number) => path.join(dir, 'chunks', `${fileId}-${String(index).padStart(6, '0')}.frame`),
};
