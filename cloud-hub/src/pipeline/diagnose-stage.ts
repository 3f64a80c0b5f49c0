import type { DiagnosisReport, VehicleInfo } from '@argus/shared';
import type { DriveFeatures } from '../gather/features.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { supervise, type SuperviseOptions } from '../supervisor/supervise.js';

/**
 * Builds the diagnosis report of one drive from its features with the
 * supervisor (rule analysis, confidence routing, retrieval when a
 * `retriever` is given, optional LLM narrative). The clock and the time
 * stamp are passed in; the same drive gives the same report id.
 */
export function buildReport(
  batchId: string, vehicle: VehicleInfo, features: DriveFeatures, kb: KnowledgeBase, clock: { now: () => number; iso: string }, opts: SuperviseOptions = {},
): Promise<DiagnosisReport> {
  return supervise(batchId, vehicle, features, kb, clock, opts);
}
