/** Codes an ingest rejection can carry; each maps to an HTTP status in one place. */
export const INGEST_ERROR_STATUS = {
  BAD_FRAME: 400,
  BAD_ENVELOPE: 400,
  BAD_PAYLOAD: 400,
  BAD_MANIFEST: 400,
  LENGTH_MISMATCH: 400,
  SHA256_MISMATCH: 422,
  BAD_CONTENT: 422,
  RAW_LENGTH_MISMATCH: 422,
  TOO_LARGE: 413,
  FOREIGN_BATCH: 403,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  CHUNK_CONFLICT: 409,
  MANIFEST_CONFLICT: 409,
  MANIFEST_MISMATCH: 409,
  NOT_FOUND: 404,
  BATCH_NOT_FOUND: 404,
} as const;
export type IngestErrorCode = keyof typeof INGEST_ERROR_STATUS;

/** A refused upload: stable code, message naming vehicle/batch/chunk. Nothing was stored. */
export class IngestError extends Error {
  constructor(readonly code: IngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
  }
}
