/**
 * Retrieval queries the supervisor sends: the first round asks about the
 * finding's own fault with its observed evidence; the second widens (no code
 * restriction, symptoms added). Pure.
 */
import type { RetrievalQuery } from '../retrieval/retriever.js';
import type { SupervisorState, WorkItem } from './state.js';

/** Text of the observed evidence (log lines, statuses, signal facts), without KB entries. */
export function evidenceText(it: WorkItem): string {
  return [it.finding.name.replace(/_/g, ' '), ...it.finding.evidence.filter((e) => e.kind !== 'kb').map((e) => e.text)].join('. ').slice(0, 1500);
}

/** The query for round `round` (0-based) of one finding. */
export function queryFor(it: WorkItem, s: SupervisorState, round: number): RetrievalQuery {
  const vehicle = { platform: s.vehicle.platform, firmware: s.vehicle.firmware };
  const base = { vehicle, mode: s.policy.retrievalMode, filters: s.policy.filters, k: 8 };
  const code = it.finding.code;
  if (code !== null && round === 0) return { ...base, text: evidenceText(it), codes: [code], kinds: ['cause', 'case', 'document'] };
  const fault = code ? s.kb.faults.find((f) => f.code === code) : undefined;
  return { ...base, text: `${evidenceText(it)}. ${fault?.symptoms ?? ''}`.trim(), ...(code ? { codes: [code] } : {}) };
}
