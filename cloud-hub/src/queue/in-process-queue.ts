import type { Logger } from '@argus/shared';
import type { JobData, JobHandler, JobQueue, Stage } from './job-queue.js';

interface Worker {
  handler: JobHandler;
  concurrency: number;
  onFailed: ((data: JobData, err: Error) => Promise<void>) | undefined;
}

/**
 * JobQueue in this process: FIFO per stage, per-stage concurrency, retries with
 * exponential backoff (`baseDelayMs · 2^attempt`), dedupe by batch id.
 */
export class InProcessQueue implements JobQueue {
  private readonly waiting = new Map<Stage, JobData[]>();
  private readonly active = new Map<Stage, number>();
  private readonly keys = new Set<string>();
  private readonly workers = new Map<Stage, Worker>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly log: Logger, private readonly opts: { attempts?: number; baseDelayMs?: number } = {}) {}

  async add(stage: Stage, data: JobData): Promise<void> {
    const key = `${stage}:${data.batchId}`;
    if (this.closed || this.keys.has(key)) return;
    this.keys.add(key);
    const q = this.waiting.get(stage) ?? [];
    q.push(data);
    this.waiting.set(stage, q);
    this.pump(stage);
  }

  process(stage: Stage, handler: JobHandler, opts: { concurrency?: number; onFailed?: (data: JobData, err: Error) => Promise<void> } = {}): void {
    this.workers.set(stage, { handler, concurrency: opts.concurrency ?? 1, onFailed: opts.onFailed });
    this.pump(stage);
  }

  private pump(stage: Stage): void {
    const w = this.workers.get(stage);
    const q = this.waiting.get(stage);
    if (!w || !q) return;
    while (!this.closed && q.length > 0 && (this.active.get(stage) ?? 0) < w.concurrency) {
      const data = q.shift() as JobData;
      this.active.set(stage, (this.active.get(stage) ?? 0) + 1);
      const p = this.run(stage, w, data).finally(() => {
        this.running.delete(p);
        this.active.set(stage, (this.active.get(stage) ?? 1) - 1);
        this.keys.delete(`${stage}:${data.batchId}`);
        this.pump(stage);
      });
      this.running.add(p);
    }
  }

  private async run(stage: Stage, w: Worker, data: JobData): Promise<void> {
    const attempts = this.opts.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await w.handler(data, attempt);
        return;
      } catch (e) {
        const err = e as Error & { unrecoverable?: boolean };
        const final = err.unrecoverable === true || attempt >= attempts || this.closed;
        this.log.warn('job failed', { stage, batch_id: data.batchId, attempt, final, err: err.message });
        if (final) {
          await w.onFailed?.(data, err).catch((e2: Error) => this.log.error('onFailed threw', { err: e2.message }));
          return;
        }
        await new Promise((r) => setTimeout(r, (this.opts.baseDelayMs ?? 200) * 2 ** (attempt - 1)));
      }
    }
  }

  async depth(stage: Stage): Promise<number> {
    return (this.waiting.get(stage)?.length ?? 0) + (this.active.get(stage) ?? 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
  }
}
