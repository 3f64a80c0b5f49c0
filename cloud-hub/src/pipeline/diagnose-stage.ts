import type { DiagnosisReport, VehicleInfo } from '@argus/shared';
import { diagnoseRules } from '../diagnosis/diagnose-rules.js';
import type { DriveFeatures } from '../gather/features.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';

/**
 * Builds the diagnosis report of one drive from its features (pure: the clock
 * and the time stamp are passed in). The same drive gives the same report id.
 */
export function buildReport(batchId: string, vehicle: VehicleInfo, features: DriveFeatures, kb: KnowledgeBase, clock: { now: () => number; iso: string }): DiagnosisReport {
  const d = diagnoseRules(features, vehicle, kb, { now: clock.now });
  return {
    v: 1,
    report_id: `rpt-${batchId}`,
    batch_id: batchId,
    vin: vehicle.vin,
    platform: vehicle.platform,
    status: d.status,
    summary: d.summary,
    findings: d.findings,
    engine: 'rules-v1',
    trace: d.trace,
    created_at: clock.iso,
  };
}
