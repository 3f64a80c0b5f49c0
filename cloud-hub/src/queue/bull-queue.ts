import { Queue, UnrecoverableError as BullUnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '@argus/shared';
import { STAGES, type JobData, type JobHandler, type JobQueue, type Stage } from './job-queue.js';
import { JobData as JobDataSchema } from './job-data.js';

/** Options of BullQueue; the defaults suit production, tests shorten the times. */
export interface BullQueueOptions {
  /** `redis://` URL shared by every hub of the fleet. */
  redisUrl: string;
  log: Logger;
  /** BullMQ key prefix. Default `argus`. */
  prefix?: string;
  /** Attempts per job before it goes to the dead-letter queue. Default 3. */
  attempts?: number;
  /** First retry delay, ms; doubled each attempt (BullMQ exponential backoff). Default 1000. */
  backoffMs?: number;
  /**
   * How long a worker's lock on a job lasts without renewal, ms (renewed every
   * half of it while the worker lives). A killed hub's job is taken over by
   * another hub's stalled check at most about lockMs + stalledIntervalMs later.
   * Default 30000.
   */
  lockMs?: number;
  /** How often each worker looks for stalled jobs, ms. Default = lockMs. */
  stalledIntervalMs?: number;
}

/** Name of the dead-letter queue: jobs that exhausted retries or were unrecoverable. */
export const DEAD_LETTER_QUEUE = 'argus-dead-letter';

/** A dead-letter entry. */
export interface DeadLetter {
  stage: Stage;
  batchId: string;
  attempts: number;
  reason: string;
  failedAt: string;
}

/** The queue name of a stage (BullMQ names may not contain ':'). */
export function stageQueueName(stage: Stage): string {
  return `argus-${stage}`;
}

/**
 * The job id of a stage of a batch: adding it again while it is waiting,
 * delayed or running is a no-op. Written `stage.batchId` because BullMQ refuses
 * custom ids with ':' in them.
 */
export function stageJobId(stage: Stage, batchId: string): string {
  return `${stage}.${batchId}`;
}

/**
 * JobQueue on BullMQ (scale mode, `REDIS_URL` set): jobs live in Redis, so any
 * hub's workers can take them. Retries with exponential backoff; a job that
 * exhausted its attempts or threw UnrecoverableError is copied to the
 * dead-letter queue and reported to `onFailed`; per-stage concurrency; a job
 * whose hub died (lock not renewed) is moved back to waiting by another hub's
 * stalled check; `close()` stops taking jobs and waits for the running ones.
 */
export class BullQueue implements JobQueue {
  private readonly conn: Redis;
  private readonly queues = new Map<Stage, Queue>();
  private readonly workers: Worker[] = [];
  private readonly dead: Queue;
  private closed = false;

  constructor(private readonly o: BullQueueOptions) {
    // BullMQ requires maxRetriesPerRequest: null for blocking worker connections.
    this.conn = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
    this.conn.on('error', (err: Error) => o.log.warn('bullmq redis connection error', { err: err.message }));
    const prefix = o.prefix ?? 'argus';
    for (const s of STAGES) {
      this.queues.set(s, new Queue(stageQueueName(s), {
        connection: this.conn, prefix,
        defaultJobOptions: {
          attempts: o.attempts ?? 3,
          backoff: { type: 'exponential', delay: o.backoffMs ?? 1000 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      }));
    }
    this.dead = new Queue(DEAD_LETTER_QUEUE, { connection: this.conn, prefix });
  }

  async add(stage: Stage, data: JobData): Promise<void> {
    if (this.closed) return;
    await this.queue(stage).add(stage, data, { jobId: stageJobId(stage, data.batchId) });
  }

  process(stage: Stage, handler: JobHandler, opts: { concurrency?: number; onFailed?: (data: JobData, err: Error) => Promise<void> } = {}): void {
    const attempts = this.o.attempts ?? 3;
    const lockMs = this.o.lockMs ?? 30_000;
    const w = new Worker(stageQueueName(stage), async (job: Job) => {
      // Decode at the boundary: job data comes from Redis, written by any hub version.
      const parsed = JobDataSchema.safeParse(job.data);
      const attempt = job.attemptsMade + 1;
      try {
        if (!parsed.success) throw new BullUnrecoverableError(`job ${job.id} of ${stage}: bad data: ${parsed.error.message}`);
        this.o.log.info('job started', { stage, batch_id: parsed.data.batchId, attempt });
        await handler(parsed.data, attempt);
      } catch (e) {
        const err = e as Error & { unrecoverable?: boolean };
        const unrecoverable = err.unrecoverable === true || err instanceof BullUnrecoverableError;
        const final = unrecoverable || attempt >= attempts;
        this.o.log.warn('job failed', { stage, batch_id: parsed.data?.batchId, attempt, final, err: err.message });
        if (!final) throw err;
        const batchId = parsed.data?.batchId ?? String(job.id);
        const letter: DeadLetter = { stage, batchId, attempts: attempt, reason: err.message, failedAt: new Date().toISOString() };
        await this.dead.add(stage, letter, { jobId: stageJobId(stage, batchId) });
        if (parsed.success) await opts.onFailed?.(parsed.data, err).catch((e2: Error) => this.o.log.error('onFailed threw', { stage, batch_id: batchId, err: e2.message }));
        throw new BullUnrecoverableError(err.message);
      }
    }, {
      connection: this.conn,
      prefix: this.o.prefix ?? 'argus',
      concurrency: opts.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: this.o.stalledIntervalMs ?? lockMs,
      // A job may be orphaned by more than one crashed hub before it fails as stalled.
      maxStalledCount: 3,
    });
    w.on('error', (err) => this.o.log.warn('bullmq worker error', { stage, err: err.message }));
    this.workers.push(w);
  }

  async depth(stage: Stage): Promise<number> {
    return this.queue(stage).getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized');
  }

  /** Entries of the dead-letter queue, oldest first (for operators and tests). */
  async deadLetters(): Promise<DeadLetter[]> {
    const jobs = await this.dead.getJobs(['waiting', 'delayed'], 0, 999, true);
    return jobs.map((j) => j.data as DeadLetter);
  }

  /** Stops taking jobs, waits for running ones to finish, then disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values(), this.dead].map((q) => q.close()));
    await this.conn.quit().catch(() => undefined);
  }

  private queue(stage: Stage): Queue {
    const q = this.queues.get(stage);
    if (!q) throw new Error(`no queue for stage ${stage}`);
    return q;
  }
}
