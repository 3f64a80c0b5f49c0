import { addon } from './addon.js';

/** One step of {@link fileBatch}. */
export type FileOp =
  /** Creates (or truncates) `path` and writes the buffers one after another. */
  | { op: 'write'; path: string; data: Uint8Array[] }
  /** Overwrites bytes of an existing file at offset `at`, then renames it to `renameTo` if given. */
  | { op: 'patch'; path: string; at: number; data: Uint8Array; renameTo?: string }
  /** fsyncs a file or a directory. */
  | { op: 'fsync'; path: string }
  /**
   * Writes the buffers at offset `at` of an existing file (one vectored write), fdatasyncs it,
   * and with `evict` drops those pages from the page cache once they are on disk.
   */
  | { op: 'append'; path: string; at: number; data: Uint8Array[]; evict?: boolean };

/**
 * Runs file operations in order as plain syscalls in one task on the libuv
 * pool: one trip off the event loop for the whole list instead of one per
 * open, write, close, rename and fsync (through fs/promises those trips cost
 * more CPU than the syscalls for an outbox of small files). The first failure
 * stops the list; the promise then rejects with an Error shaped like Node's fs
 * errors (`code`, `errno`, `syscall`, `path`, and `dest` for a rename); the
 * ops before it took effect. Buffers must not change until it settles.
 */
export function fileBatch(ops: FileOp[]): Promise<void> {
  return addon.fileBatch(ops);
}
