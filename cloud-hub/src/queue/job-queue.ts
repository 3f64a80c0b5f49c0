/** Stage names, defined once. */
export const STAGES = ['gather', 'diagnose'] as const;
export type Stage = (typeof STAGES)[number];

/** Data of every job: the batch it works on. */
export interface JobData {
  batchId: string;
}

/** Thrown by a handler for input that can never succeed: no retry. */
export class UnrecoverableError extends Error {
  readonly unrecoverable = true;
}

/** A handler: resolves when done; throws to retry (or UnrecoverableError to give up). */
export type JobHandler = (data: JobData, attempt: number) => Promise<void>;

/**
 * Runs pipeline stages as jobs. Implementations: InProcessQueue (embedded);
 * BullMQ (scale mode, later). Adding a job whose id is queued or running is a no-op.
 */
export interface JobQueue {
  add(stage: Stage, data: JobData): Promise<void>;
  process(stage: Stage, handler: JobHandler, opts?: { concurrency?: number; onFailed?: (data: JobData, err: Error) => Promise<void> }): void;
  /** Jobs of `stage` waiting or running (for the `argus_queue_depth` gauge). */
  depth(stage: Stage): Promise<number>;
  /** Waits for running jobs, then stops. */
  close(): Promise<void>;
}
