import type { ContentEncoding } from '@argus/shared';

/**
 * Where chunk bytes live. Keys are `/`-separated paths (see `objectKeys`).
 * Implementations: FsObjectStore (embedded default), S3ObjectStore (MinIO/S3).
 */
export interface ObjectStore {
  /** Stores bytes under key, atomically: a reader sees all of it or nothing. Overwrites. */
  put(key: string, data: Uint8Array): Promise<void>;
  /** The bytes under key; throws ObjectNotFoundError when absent. */
  get(key: string): Promise<Buffer>;
  /** True when key exists. */
  has(key: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** Finishes what the store has open (a pack file); later puts fail. */
  close?(): Promise<void>;
}

/** Thrown by `get` for a key that does not exist. */
export class ObjectNotFoundError extends Error {
  readonly code = 'OBJECT_NOT_FOUND';
  constructor(readonly key: string) {
    super(`object ${key} not found`);
  }
}

/** Thrown by `get` when the stored bytes are damaged (a checksum fails): reading again will not help. */
export class ObjectCorruptError extends Error {
  readonly code = 'OBJECT_CORRUPT';
  constructor(readonly key: string, detail: string) {
    super(`object ${key}: ${detail}`);
  }
}

/** Object-key suffix (after `.csv`) per chunk content encoding. */
export const CHUNK_SUFFIX: Record<ContentEncoding, string> = { gzip: '.gz', zstd: '.zst', identity: '' };

/**
 * Object key layout, defined once:
 *   batches/{batch_id}/manifest.json
 *   batches/{batch_id}/files/{file_id}/{chunk_index:6}-{sha256[0:16]}.csv{.gz|.zst|} (the hash keeps a racing re-send
 *   from clobbering; the suffix names the content encoding: gzip, zstd, identity)
 */
export const objectKeys = {
  manifest: (batchId: string) => `batches/${batchId}/manifest.json`,
  chunk: (batchId: string, fileId: string, index: number, sha256: string, encoding: ContentEncoding) =>
    `batches/${batchId}/files/${fileId}/${String(index).padStart(6, '0')}-${sha256.slice(0, 16)}.csv${CHUNK_SUFFIX[encoding]}`,
  batchPrefix: (batchId: string) => `batches/${batchId}/`,
};

/** Rejects keys that could escape a store's root or are not portable. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9._\-/]{1,1024}$/.test(key) || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`unsafe object key ${JSON.stringify(key)}`);
  }
}
