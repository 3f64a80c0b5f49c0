import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { STAGES, type Stage } from '../queue/job-queue.js';

/** How an upload reached the hub. */
export type Transport = 'mqtt' | 'http';

/** What the ingest transports report; implemented by HubMetrics, a no-op by default. */
export interface IngestMetrics {
  /** A chunk was accepted (stored, or a duplicate of a stored one); `bytes` = its payload size. */
  chunkAccepted(transport: Transport, bytes: number, duplicate: boolean): void;
  /** Anything refused, by its stable code (`SHA256_MISMATCH`, `FORBIDDEN`, `TOO_LARGE`, …). */
  rejected(transport: Transport, code: string): void;
}

/** Metrics that count nothing (unit tests, tools). */
export const NO_METRICS: IngestMetrics = { chunkAccepted: () => {}, rejected: () => {} };

/**
 * The hub's Prometheus metrics, in a registry of its own so that several hubs
 * in one process (tests, benchmarks) never share counters. Names follow the
 * Prometheus conventions: `_total` counters, base units (bytes, seconds).
 */
export class HubMetrics implements IngestMetrics {
  readonly registry = new Registry();
  private readonly bytes = new Counter({ name: 'argus_ingest_bytes_total', help: 'Chunk payload bytes accepted, by transport', labelNames: ['transport'], registers: [this.registry] });
  private readonly chunks = new Counter({ name: 'argus_ingest_chunks_total', help: 'Chunks accepted, by transport and whether they were duplicates', labelNames: ['transport', 'duplicate'], registers: [this.registry] });
  private readonly rejections = new Counter({ name: 'argus_ingest_rejections_total', help: 'Uplink messages and requests refused, by transport and reason code', labelNames: ['transport', 'code'], registers: [this.registry] });
  private readonly barrier = new Counter({ name: 'argus_barrier_fires_total', help: 'Times the upload barrier fired (one per completed batch)', registers: [this.registry] });
  private readonly stage = new Histogram({
    name: 'argus_stage_duration_seconds', help: 'Duration of pipeline stage jobs, by stage and outcome', labelNames: ['stage', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [this.registry],
  });

  /** `depth(stage)` = jobs waiting or running; read at every scrape. */
  constructor(depth?: (stage: Stage) => Promise<number>) {
    new Gauge({
      name: 'argus_queue_depth', help: 'Jobs waiting or running, by stage', labelNames: ['stage'], registers: [this.registry],
      async collect() {
        if (!depth) return;
        for (const s of STAGES) this.set({ stage: s }, await depth(s).catch(() => Number.NaN));
      },
    });
  }

  chunkAccepted(transport: Transport, bytes: number, duplicate: boolean): void {
    this.bytes.inc({ transport }, bytes);
    this.chunks.inc({ transport, duplicate: String(duplicate) });
  }

  rejected(transport: Transport, code: string): void {
    this.rejections.inc({ transport, code });
  }

  /** The barrier fired for one batch. */
  barrierFired(): void {
    this.barrier.inc();
  }

  /** Records one stage job's duration in seconds. */
  stageDone(stage: Stage, seconds: number, outcome: 'ok' | 'error'): void {
    this.stage.observe({ stage, outcome }, seconds);
  }

  /** The exposition text for `GET /metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
