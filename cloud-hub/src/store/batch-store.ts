import type { BatchManifest, BatchState, ChunkEnvelope, DiagnosisReport } from '@argus/shared';

/** A batch as the hub sees it. */
export interface BatchRecord {
  batch_id: string;
  vin: string;
  platform: string | null;
  state: BatchState;
  manifest: BatchManifest | null;
  chunks_expected: number | null;
  chunks_stored: number;
  reason: string | null;
  retries: number;
  created_at: string;
  updated_at: string;
}

/** A stored chunk's ledger row. */
export interface ChunkRecord {
  batch_id: string;
  file_id: string;
  chunk_index: number;
  topic: string;
  sha256: string;
  byte_length: number;
  raw_length: number;
  rows: number;
  object_key: string;
}

/** What ingest reads before storing a chunk: its batch, if there is one, and the chunk's ledger row, if it has one. */
export interface ChunkContext {
  batch: Pick<BatchRecord, 'vin' | 'state' | 'manifest'> | null;
  chunk: ChunkRecord | null;
}

/** Result of recording a chunk in the ledger. */
export type RecordChunkResult =
  | { outcome: 'stored' }
  | { outcome: 'duplicate' }
  | { outcome: 'conflict'; existingSha256: string };

/**
 * Batches, their chunk ledger (the barrier's memory), events, features and
 * reports. Implementation: PgBatchStore.
 */
export interface BatchStore {
  /** Records a manifest (first one wins; a different second one is refused). Creates the batch if needed. */
  putManifest(m: BatchManifest): Promise<{ outcome: 'stored' | 'duplicate' | 'conflict' }>;
  /** Adds a chunk to the ledger, idempotently by chunk id + sha256. */
  recordChunk(vin: string, e: ChunkEnvelope, objectKey: string): Promise<RecordChunkResult>;
  /** Looks up one chunk's ledger row. */
  getChunk(batchId: string, fileId: string, index: number): Promise<ChunkRecord | null>;
  /** A chunk's batch and its ledger row in one lookup (ingest asks this for every chunk it receives). */
  chunkContext(batchId: string, fileId: string, index: number): Promise<ChunkContext>;
  /**
   * The barrier: when every chunk the manifest lists is in the ledger, moves the
   * batch to `uploaded` and returns true — to exactly one caller, ever.
   * The hub asks its `Barrier` (barrier/barrier.ts) instead; PgBatchStore
   * answers this with PgBarrier's statement.
   */
  tryCompleteUpload(batchId: string): Promise<boolean>;
  /** Moves a batch from one of `from` to `to`; false when it was not in `from`. Records an event. */
  transition(batchId: string, from: readonly BatchState[], to: BatchState, detail?: Record<string, unknown>): Promise<boolean>;
  /** Counts a retry of a stage on the batch (`retries` + 1) and records a `retry` event with the stage and attempt. */
  noteRetry(batchId: string, stage: string, attempt: number): Promise<void>;
  /** Marks a batch failed with a reason, from any state. */
  fail(batchId: string, reason: string): Promise<void>;
  get(batchId: string): Promise<BatchRecord | null>;
  list(opts?: { vin?: string; limit?: number }): Promise<BatchRecord[]>;
  /** Batches past the barrier but not finished (uploaded … diagnosing), least recently changed first: what a restarted hub re-enqueues. */
  inFlight(limit?: number): Promise<{ batch_id: string; state: BatchState }[]>;
  chunks(batchId: string): Promise<ChunkRecord[]>;
  events(batchId: string): Promise<{ state: string; detail: unknown; at: string }[]>;
  putFeatures(batchId: string, features: unknown): Promise<void>;
  getFeatures(batchId: string): Promise<unknown | null>;
  putReport(r: DiagnosisReport): Promise<void>;
  getReport(batchId: string): Promise<DiagnosisReport | null>;
  /** Records vehicle `vin`'s acknowledgement of its report (`delivered_at`, first one wins); false for an unknown id, another vehicle's report, or a repeat. */
  markReportDelivered(reportId: string, vin: string): Promise<boolean>;
  /** Reports of one vehicle it has not acknowledged yet, oldest first (what the hub re-sends when the vehicle comes online). */
  undeliveredReports(vin: string, limit?: number): Promise<DiagnosisReport[]>;
}
