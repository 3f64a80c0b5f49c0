import type { BatchStatusEvent, DiagnosisReport, Logger } from '@argus/shared';
import { DriveFeatures } from '../gather/features.js';
import type { JobData, JobQueue, Stage } from '../queue/job-queue.js';
import { UnrecoverableError } from '../queue/job-queue.js';
import type { BatchStore } from '../store/batch-store.js';
import type { KnowledgeStore } from '../store/knowledge-store.js';
import type { ObjectStore } from '../store/object-store.js';
import type { SuperviseOptions } from '../supervisor/supervise.js';
import { buildReport } from './diagnose-stage.js';
import { gatherBatch } from './gather-stage.js';

/** Where pipeline results go: the vehicle (MQTT) and anyone watching (dashboard). */
export interface PipelineSinks {
  status(e: BatchStatusEvent): Promise<void>;
  report(r: DiagnosisReport): Promise<void>;
  /** A report was stored (OTA recommendations are derived here); failures are logged, not retried. */
  diagnosed?(r: DiagnosisReport): Promise<void>;
}

/** Wires the stages onto a queue. Every stage is idempotent: a re-run after a crash picks up where the state says. */
export class Pipeline {
  constructor(private readonly d: { batches: BatchStore; objects: ObjectStore; knowledge: KnowledgeStore; queue: JobQueue; sinks: PipelineSinks; log: Logger; diagnosis?: SuperviseOptions }) {}

  /** Registers the stage workers. */
  start(): void {
    const onFailed = async (data: { batchId: string }, err: Error) => {
      await this.d.batches.fail(data.batchId, err.message);
      await this.notify(data.batchId);
    };
    // A job's second and later attempts count as retries of the batch (batches.retries, a `retry` event).
    const counted = (stage: Stage, run: (batchId: string) => Promise<void>) => async (j: JobData, attempt: number) => {
      if (attempt > 1) await this.d.batches.noteRetry(j.batchId, stage, attempt);
      await run(j.batchId);
    };
    this.d.queue.process('gather', counted('gather', (id) => this.gather(id)), { concurrency: 1, onFailed });
    this.d.queue.process('diagnose', counted('diagnose', (id) => this.diagnose(id)), { concurrency: 2, onFailed });
  }

  /** The barrier fired for a batch: start its analysis. */
  async uploadComplete(batchId: string): Promise<void> {
    await this.notify(batchId);
    await this.d.queue.add('gather', { batchId });
  }

  private async gather(batchId: string): Promise<void> {
    if (!(await this.d.batches.transition(batchId, ['uploaded', 'gathering'], 'gathering'))) return;
    await this.notify(batchId);
    const kb = await this.d.knowledge.load();
    const features = await gatherBatch(batchId, { ...this.d, kb });
    await this.d.batches.putFeatures(batchId, features);
    await this.d.batches.transition(batchId, ['gathering'], 'gathered');
    await this.notify(batchId);
    await this.d.queue.add('diagnose', { batchId });
  }

  private async diagnose(batchId: string): Promise<void> {
    if (!(await this.d.batches.transition(batchId, ['gathered', 'diagnosing'], 'diagnosing'))) return;
    await this.notify(batchId);
    const batch = await this.d.batches.get(batchId);
    if (!batch?.manifest) throw new UnrecoverableError(`batch ${batchId} has no manifest`);
    const parsed = DriveFeatures.safeParse(await this.d.batches.getFeatures(batchId));
    if (!parsed.success) throw new UnrecoverableError(`batch ${batchId}: stored features are invalid`);
    const kb = await this.d.knowledge.load();
    const report = await buildReport(batchId, batch.manifest.vehicle, parsed.data, kb, { now: () => performance.now(), iso: new Date().toISOString() }, this.d.diagnosis ?? {});
    await this.d.batches.putReport(report);
    // Recommendations are created before the batch counts as diagnosed, so a hub
    // that dies in between re-runs this stage (idempotent: one per batch and rule)
    // instead of leaving a diagnosis without its recommendations.
    await this.d.sinks.diagnosed?.(report);
    await this.d.batches.transition(batchId, ['diagnosing'], 'diagnosed', { status: report.status, findings: report.findings.map((f) => f.code) });
    this.d.log.info('diagnosed', { batch_id: batchId, vin: report.vin, status: report.status, first: report.findings[0]?.code ?? null });
    await this.notify(batchId);
    await this.d.sinks.report(report);
  }

  /** Publishes the batch's current state. */
  async notify(batchId: string): Promise<void> {
    const b = await this.d.batches.get(batchId);
    if (!b) return;
    await this.d.sinks.status({
      v: 1, batch_id: b.batch_id, vin: b.vin, state: b.state, chunks_stored: b.chunks_stored, chunks_expected: b.chunks_expected,
      ...(b.reason ? { reason: b.reason } : {}), at: new Date().toISOString(),
    }).catch((err: Error) => this.d.log.warn('status publish failed', { batch_id: batchId, err: err.message }));
  }
}
