import type { BatchState, Logger } from '@argus/shared';
import type { JobQueue, Stage } from '../queue/job-queue.js';
import type { BatchStore } from '../store/batch-store.js';

/** The stage that continues a batch in `state`, if any (pure). */
export function resumeStage(state: BatchState): Stage | null {
  if (state === 'uploaded' || state === 'gathering') return 'gather';
  if (state === 'gathered' || state === 'diagnosing') return 'diagnose';
  return null;
}

/**
 * Re-enqueues every batch past the barrier that is not finished, when a hub
 * starts. The in-process queue forgets its jobs when the hub dies; in scale
 * mode BullMQ keeps them, and this also covers a hub that died between the
 * barrier's state change and the enqueue. Safe to repeat: job ids dedupe
 * queued and running jobs, and each stage checks the batch state first.
 */
export async function resumeBatches(d: { batches: BatchStore; queue: JobQueue; log: Logger }): Promise<number> {
  let n = 0;
  for (const b of await d.batches.inFlight()) {
    const stage = resumeStage(b.state);
    if (!stage) continue;
    await d.queue.add(stage, { batchId: b.batch_id });
    n++;
  }
  if (n > 0) d.log.info('resumed unfinished batches', { count: n });
  return n;
}
