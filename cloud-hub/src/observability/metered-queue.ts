import type { JobData, JobHandler, JobQueue, Stage } from '../queue/job-queue.js';
import type { HubMetrics } from './hub-metrics.js';

/**
 * A JobQueue decorator that times every stage job into
 * `argus_stage_duration_seconds` (each attempt, with its outcome). Works over
 * any implementation (in-process, BullMQ).
 */
export class MeteredQueue implements JobQueue {
  constructor(private readonly inner: JobQueue, private readonly metrics: HubMetrics, private readonly now: () => number = () => performance.now()) {}

  add(stage: Stage, data: JobData): Promise<void> {
    return this.inner.add(stage, data);
  }

  process(stage: Stage, handler: JobHandler, opts?: Parameters<JobQueue['process']>[2]): void {
    this.inner.process(stage, async (data, attempt) => {
      const t0 = this.now();
      try {
        await handler(data, attempt);
        this.metrics.stageDone(stage, (this.now() - t0) / 1000, 'ok');
      } catch (err) {
        this.metrics.stageDone(stage, (this.now() - t0) / 1000, 'error');
        throw err;
      }
    }, opts);
  }

  depth(stage: Stage): Promise<number> {
    return this.inner.depth(stage);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
