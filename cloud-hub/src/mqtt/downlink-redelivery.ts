import type { DiagnosisReport, Logger } from '@argus/shared';

/** What redelivery reads and sends. */
export interface RedeliveryDeps {
  /** The vehicle's diagnosis reports it has not acknowledged (`reports.delivered_at` unset). */
  undeliveredReports(vin: string): Promise<DiagnosisReport[]>;
  /** Pushes again the approved recommendations it has not acknowledged; returns how many. */
  redeliverRecommendations(vin: string): Promise<number>;
  /** Sends one report on the vehicle's `diagnosis` downlink (QoS 1). */
  publishReport(vin: string, report: DiagnosisReport): Promise<void>;
  log: Logger;
}

/**
 * Re-sends a vehicle's unacknowledged downlink when it comes online. QoS 1 and
 * a persistent session cover a vehicle that is offline while the hub stays up,
 * but the embedded broker keeps those queues in memory: a hub restart while the
 * vehicle is away loses them, and nothing is queued for a vehicle that has no
 * session yet. The hub's database knows what the vehicle acknowledged
 * (`downlink-ack` → `delivered_at`), so on every "online" signal the rest is sent
 * again; the vehicle stores reports by batch and recommendations by id and acks
 * again, so a copy that also arrived from the broker's queue is harmless.
 *
 * Calls for one VIN are coalesced: one that arrives while a re-send runs
 * schedules exactly one more run (a SUBSCRIBE seen mid-run is not lost).
 */
export class DownlinkRedelivery {
  private readonly runs = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(private readonly d: RedeliveryDeps) {}

  /** The vehicle can receive downlink now. Never rejects (failures are logged; the next online signal retries). */
  online(vin: string): Promise<void> {
    const running = this.runs.get(vin);
    if (running) {
      running.again = true;
      return running.done;
    }
    const run = { again: false, done: Promise.resolve() };
    run.done = (async () => {
      try {
        do {
          run.again = false;
          await this.resend(vin);
        } while (run.again);
      } finally {
        this.runs.delete(vin);
      }
    })();
    this.runs.set(vin, run);
    return run.done;
  }

  private async resend(vin: string): Promise<void> {
    try {
      const reports = await this.d.undeliveredReports(vin);
      for (const r of reports) await this.d.publishReport(vin, r);
      const recommendations = await this.d.redeliverRecommendations(vin);
      if (reports.length + recommendations > 0) this.d.log.info('downlink re-sent to a vehicle that came online', { vin, reports: reports.length, recommendations });
    } catch (err) {
      this.d.log.warn('downlink re-send failed', { vin, err: (err as Error).message });
    }
  }
}
