/**
 * Confidence routing and the final cause guard of the supervisor. Pure.
 */
import type { VehicleInfo } from '@argus/shared';
import type { KbCause, KnowledgeBase } from '../kb/knowledge-base.js';
import { causeFits } from '../retrieval/filters.js';
import type { Route, SupervisorPolicy, WorkItem } from './state.js';

/**
 * Where a finding goes next: a known code with exactly one cause that fits
 * the vehicle takes the fast path; a known code with several or no fitting
 * causes, or an anomaly no entry describes, is retrieved for (within the
 * rounds and the budget); when nothing more can be retrieved it is decided
 * as it stands.
 */
export function routeItem(item: WorkItem, policy: SupervisorPolicy, budgetLeft: number): Route | 'decide' {
  if (item.cause !== undefined) return 'decide';
  if (item.finding.code !== null && item.candidates.length === 1 && policy.fastPath) return 'fast';
  if (item.rounds >= policy.maxRounds || budgetLeft <= 0) return item.finding.code === null ? 'unknown' : 'decide';
  return 'retrieve';
}

/** The fault's cause with this id, if the knowledge base has one. */
export function kbCause(kb: KnowledgeBase, code: string, id: string): KbCause | undefined {
  return kb.faults.find((f) => f.code === code)?.causes.find((c) => c.id === id);
}

/**
 * The guard every cause passes before it reaches a report: it exists in the
 * knowledge base under the finding's fault and fits the vehicle's platform
 * and firmware. Returns the cause or null with the reason.
 */
export function guardCause(kb: KnowledgeBase, code: string, id: string, vehicle: VehicleInfo): { cause: KbCause | null; why: string } {
  const c = kbCause(kb, code, id);
  if (!c) return { cause: null, why: `cause ${id} is not a cause of ${code} in the knowledge base` };
  const fit = causeFits({ ...c, fault_code: code }, vehicle);
  return fit.ok ? { cause: c, why: `cause ${id} fits: ${fit.why}` } : { cause: null, why: `cause ${id} rejected: ${fit.why}` };
}

/**
 * Picks the cause for a coded finding from retrieval hits: the best-ranked
 * hit that names a cause of this fault which passes {@link guardCause}
 * (`firstOnly`: only the top-ranked cause is considered, as the vector-only baseline does).
 */
export function causeFromHits(kb: KnowledgeBase, item: WorkItem, vehicle: VehicleInfo, opts: { firstOnly?: boolean } = {}): { cause: KbCause | null; why: string } {
  const code = item.finding.code!;
  const rejected: string[] = [];
  for (const h of item.hits) {
    for (const id of h.passage.cause_ids) {
      if (!h.passage.fault_codes.includes(code)) continue;
      const g = guardCause(kb, code, id, vehicle);
      if (g.cause) return { cause: g.cause, why: `${g.why}; ranked by ${h.passage.id} (${h.why.join('; ')})` };
      rejected.push(g.why);
      // Baseline behaviour: trust the top-ranked cause; the guard then leaves it unknown.
      if (opts.firstOnly) return { cause: null, why: `top retrieved ${g.why}` };
    }
  }
  return { cause: null, why: rejected.length ? `no retrieved cause fits: ${[...new Set(rejected)].join('; ')}` : 'no retrieved passage names a cause of this fault' };
}
