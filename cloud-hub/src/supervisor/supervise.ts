/**
 * Diagnoses one drive with the supervisor graph and returns the report.
 * Deterministic without an LLM: the same drive and knowledge base give the
 * same findings (only trace timings differ).
 */
import type { DiagnosisReport, VehicleInfo } from '@argus/shared';
import type { HealthyBaseline } from '../diagnosis/healthy-baseline.js';
import type { DriveFeatures } from '../gather/features.js';
import { demoBaseline } from '../kb/demo-baseline.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import type { Retriever } from '../retrieval/retriever.js';
import { runGraph } from './graph.js';
import { buildNodes } from './nodes.js';
import { DEFAULT_POLICY, type SupervisorPolicy, type SupervisorState } from './state.js';

/** Optional collaborators of {@link supervise}. */
export interface SuperviseOptions {
  retriever?: Retriever;
  policy?: Partial<SupervisorPolicy>;
  /** Healthy baselines for the log analyst (default: the shipped one, learned with the demo KB; null: none). */
  baseline?: HealthyBaseline | null;
  narrate?: (s: SupervisorState) => Promise<SupervisorState>;
}

/** Engine name written into reports. */
export const SUPERVISOR_ENGINE = 'supervisor-v1';

/**
 * Runs analyst → supervisor ⇄ retrieve → diagnostician → (narrator) → writer.
 * @example const r = await supervise('id', vehicle, features, kb, { now: () => performance.now(), iso: new Date().toISOString() }, { retriever });
 */
export async function supervise(
  batchId: string, vehicle: VehicleInfo, features: DriveFeatures, kb: KnowledgeBase, clock: { now: () => number; iso: string }, opts: SuperviseOptions = {},
): Promise<DiagnosisReport> {
  const state: SupervisorState = {
    vehicle, features, kb, policy: { ...DEFAULT_POLICY, ...opts.policy }, items: [],
    ...(opts.baseline === null ? {} : { baseline: opts.baseline ?? demoBaseline() }), retrievalsUsed: 0, findings: [], notes: [], trace: [],
  };
  const nodes = buildNodes({ now: clock.now, ...(opts.retriever ? { retriever: opts.retriever } : {}), ...(opts.narrate ? { narrate: opts.narrate } : {}) });
  const s = await runGraph(nodes, 'analyst', state, clock.now);
  return {
    v: 1,
    report_id: `rpt-${batchId}`,
    batch_id: batchId,
    vin: vehicle.vin,
    platform: vehicle.platform,
    status: s.status ?? 'unknown',
    summary: s.summary ?? '',
    findings: s.findings,
    engine: SUPERVISOR_ENGINE,
    ...(s.narrative ? { model: s.narrative.model, tokens_used: s.narrative.tokens_used } : s.llmUsage ? { model: s.llmUsage.model, tokens_used: s.llmUsage.tokens_used } : {}),
    trace: s.trace,
    created_at: clock.iso,
  };
}
