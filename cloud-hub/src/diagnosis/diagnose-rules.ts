/**
 * Rule-based diagnosis: evaluates every knowledge-base signature on a drive's
 * features, selects causes for the vehicle, links consequences to their root
 * and orders the findings root first. Pure: values in, values out; the clock
 * for the trace timings is passed in.
 */
import type { Evidence, Finding, TraceStep, VehicleInfo } from '@argus/shared';
import type { z } from 'zod';
import type { DriveFeatures } from '../gather/features.js';
import { SEVERITY_RANK, type KbFault, type KnowledgeBase } from '../kb/knowledge-base.js';
import { detectAnomalies, type Anomaly } from './anomalies.js';
import type { HealthyBaseline } from './healthy-baseline.js';
import { evaluateRule, type RuleOutcome } from './evaluate-rule.js';
import { linkConsequences, ONSET_TOLERANCE_S } from './link-consequences.js';
import { selectCause, type CauseSelection } from './select-cause.js';

/** One step of the diagnosis trace. */
export type TraceStepValue = z.infer<typeof TraceStep>;

/** Result of {@link diagnoseRules}. */
export interface RuleDiagnosis {
  status: 'healthy' | 'fault' | 'unknown';
  findings: Finding[];
  summary: string;
  trace: TraceStepValue[];
}

/** Options of {@link diagnoseRules}. */
export interface DiagnoseOptions {
  /** Clock in ms for trace timings (default: a clock that always says 0). */
  now?: () => number;
  /** Report unexplained anomalies as findings with code null (default true). */
  anomalies?: boolean;
  /** Healthy baselines: deviations from the vehicle platform's are anomalies too (default: none). */
  baseline?: HealthyBaseline;
}

/** A fault whose primary rule matched. */
export interface Detection {
  fault: KbFault;
  primary: RuleOutcome;
  outcomes: RuleOutcome[];
  cause: CauseSelection;
  confidence: number;
  /** Codes/names of findings this one explains, with the evidence why. */
  explains: { id: string; evidence: Evidence }[];
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const clamp = (x: number): number => Math.min(0.99, Math.max(0.05, x));

function confidenceOf(d: Omit<Detection, 'confidence' | 'explains'>): number {
  let c = 0.6 + 0.1 * Math.min(1, Math.log2(Math.max(1, d.primary.strength)));
  const supporting = d.outcomes.filter((o) => o.rule.role === 'supporting');
  const hits = supporting.filter((o) => o.matched).length;
  c += supporting.length > 0 ? (0.25 * hits) / supporting.length : 0.15;
  if (d.outcomes.some((o) => o.rule.role === 'consequence' && o.matched)) c += 0.05;
  if (d.cause.candidates.length > 1) c -= 0.15;
  if (d.cause.candidates.length === 0) c -= 0.1;
  return clamp(c);
}

/**
 * Diagnoses one drive against a knowledge base.
 * @example const { status, findings } = diagnoseRules(features, vehicle, kb, { now: () => performance.now() });
 */
export function diagnoseRules(features: DriveFeatures, vehicle: VehicleInfo, kb: KnowledgeBase, options: DiagnoseOptions = {}): RuleDiagnosis {
  const now = options.now ?? (() => 0);
  const trace: TraceStepValue[] = [];
  const step = <T>(name: string, fn: () => { value: T; detail: Record<string, unknown> }): T => {
    const t = now();
    const { value, detail } = fn();
    trace.push({ step: name, ms: r2(now() - t), detail });
    return value;
  };

  const detections = step('evaluate-signatures', () => {
    const found: Omit<Detection, 'cause' | 'confidence' | 'explains'>[] = [];
    const skipped: string[] = [];
    const notEvaluable: string[] = [];
    const nearMisses: { code: string; fact: string }[] = [];
    for (const fault of kb.faults) {
      if (!fault.platforms.includes(vehicle.platform)) {
        skipped.push(fault.code);
        continue;
      }
      const outcomes = fault.signature.map((r) => evaluateRule(r, features));
      const primary = outcomes.find((o) => o.rule.role === 'primary');
      if (!primary) continue;
      if (primary.matched) for (const o of outcomes) if (o.rule.role === 'consequence') keepAfterOnset(o, primary.t_start_s ?? 0);
      if (!primary.evaluable) notEvaluable.push(`${fault.code}: ${primary.fact}`);
      else if (primary.matched) found.push({ fault, primary, outcomes });
      else if (primary.intervals.length > 0 || outcomes.some((o) => o.matched)) nearMisses.push({ code: fault.code, fact: primary.fact });
    }
    return {
      value: found,
      detail: {
        platform: vehicle.platform,
        faults_evaluated: kb.faults.length - skipped.length,
        skipped_for_platform: skipped,
        not_evaluable: notEvaluable,
        detected: found.map((d) => ({
          code: d.fault.code,
          primary: d.primary.fact,
          supporting: d.outcomes.filter((o) => o.rule.role === 'supporting' && o.matched).map((o) => o.fact),
          consequences: d.outcomes.filter((o) => o.rule.role === 'consequence' && o.matched).map((o) => o.fact),
        })),
        near_misses: nearMisses,
      },
    };
  });

  const withCauses: Detection[] = step('select-causes', () => {
    const list = detections.map((d) => {
      const cause = selectCause(d.fault, vehicle);
      const base = { ...d, cause };
      return { ...base, confidence: confidenceOf(base), explains: [] };
    });
    return {
      value: list,
      detail: Object.fromEntries(list.map((d) => [d.fault.code, { chosen: d.cause.chosen?.id ?? null, candidates: d.cause.candidates.map((c) => c.id), reasons: d.cause.reasons }])),
    };
  });

  const anomalies: Anomaly[] = step('detect-anomalies', () => {
    const base = options.baseline?.platforms[vehicle.platform];
    const list = options.anomalies === false ? [] : detectAnomalies(features, kb, base);
    return { value: list, detail: { anomalies: list.map((a) => a.name), baseline: base ? `${vehicle.platform}, ${base.drives} healthy drives` : null } };
  });

  const { roots, unexplained } = step('link-consequences', () => {
    const res = linkConsequences(withCauses, anomalies);
    return { value: res, detail: { links: res.links } };
  });

  const findings = step('order-findings', () => {
    const ordered = [...roots].sort(
      (a, b) => b.confidence - a.confidence || SEVERITY_RANK[a.fault.severity] - SEVERITY_RANK[b.fault.severity] || (a.primary.t_start_s ?? 0) - (b.primary.t_start_s ?? 0),
    );
    const list: Finding[] = [...ordered.map(toFinding), ...unexplained.sort((a, b) => b.confidence - a.confidence || a.t_start_s - b.t_start_s).map(anomalyFinding)];
    return { value: list, detail: { order: list.map((f) => f.code ?? f.name), confidence: list.map((f) => f.confidence) } };
  });

  const status = findings.some((f) => f.code !== null) ? 'fault' : findings.length > 0 ? 'unknown' : 'healthy';
  return { status, findings, summary: summarize(status, findings, features), trace };
}

/** A consequence only counts where it follows the root's onset (within the tolerance). */
function keepAfterOnset(o: RuleOutcome, onset: number): void {
  if (!o.matched) return;
  const after = o.intervals.filter((iv) => iv.end_s >= onset - ONSET_TOLERANCE_S);
  if (after.length > 0 || o.intervals.length === 0) return;
  o.matched = false;
  o.fact += ` (only before the root's onset at t=${onset.toFixed(1)} s)`;
  o.evidence = [];
}

function toFinding(d: Detection): Finding {
  const c = d.cause.chosen;
  const evidence: Evidence[] = [];
  for (const o of d.outcomes) {
    if (!o.matched) continue;
    const tagged = o.rule.role === 'consequence' ? o.evidence.map((e) => ({ ...e, text: `consequence: ${e.text}` })) : o.evidence;
    evidence.push(...tagged);
  }
  for (const x of d.explains) evidence.push(x.evidence);
  evidence.push(...d.cause.evidence);
  return {
    code: d.fault.code,
    name: d.fault.name,
    cause_id: c?.id ?? null,
    confidence: r2(d.confidence),
    severity: d.fault.severity,
    root_cause: c?.root_cause ?? null,
    resolution: c?.resolution ?? null,
    recommended_firmware: c?.recommended_firmware ?? null,
    consequences: d.explains.map((x) => x.id),
    evidence,
  };
}

function anomalyFinding(a: Anomaly): Finding {
  return {
    code: null,
    name: a.name,
    cause_id: null,
    confidence: a.confidence,
    root_cause: null,
    resolution: null,
    recommended_firmware: null,
    consequences: [],
    evidence: [{ kind: a.kind === 'status' || a.kind === 'log' ? a.kind : 'signal', topic: a.topic, t_start_s: a.t_start_s, t_end_s: a.t_end_s, text: `${a.text} (not described by the knowledge base)` }],
  };
}

function summarize(status: RuleDiagnosis['status'], findings: Finding[], f: DriveFeatures): string {
  const span = `${Object.keys(f.topics).length} topics over ${Math.round(f.drive.duration_s)} s`;
  if (status === 'healthy') return `Healthy: no fault signature matched (${span}).`;
  const top = findings[0]!;
  if (status === 'unknown') return `Unknown: ${findings.length} anomaly(ies) that no knowledge-base entry describes, strongest: ${top.name} (${span}).`;
  const cause = top.cause_id ? `cause ${top.cause_id}: ${top.root_cause}` : 'cause unknown for this platform and firmware';
  const cons = top.consequences.length ? `; also explains ${top.consequences.join(', ')}` : '';
  const more = findings.length > 1 ? `; ${findings.length - 1} further finding(s): ${findings.slice(1).map((x) => x.code ?? x.name).join(', ')}` : '';
  return `Fault ${top.code} ${top.name} (confidence ${top.confidence}), ${cause}${cons}${more}.`;
}
