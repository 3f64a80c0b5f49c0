/**
 * The supervisor's nodes: log analyst → supervisor ⇄ retrieve →
 * diagnostician → (narrator) → report writer. Each reads the typed state and
 * returns the next one; what it read and decided goes into the trace.
 */
import type { Evidence, Finding } from '@argus/shared';
import { diagnoseRules } from '../diagnosis/diagnose-rules.js';
import { selectCause } from '../diagnosis/select-cause.js';
import type { Retriever } from '../retrieval/retriever.js';
import type { GraphNode } from './graph.js';
import { causeFromHits, routeItem } from './route.js';
import type { NodeName, SupervisorState, WorkItem } from './state.js';
import { queryFor } from './queries.js';
import { summarize } from './summarize.js';

/** Collaborators of the nodes. */
export interface NodeDeps {
  now: () => number;
  retriever?: Retriever;
  /** Writes the narrative and may reason on unclear findings; absent without an LLM. */
  narrate?: (s: SupervisorState) => Promise<SupervisorState>;
}

type Node = GraphNode<SupervisorState, NodeName>;
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Builds the node table. */
export function buildNodes(d: NodeDeps): Record<NodeName, Node> {
  const analyst: Node = async (s) => {
    const rules = diagnoseRules(s.features, s.vehicle, s.kb, { now: d.now, ...(s.baseline ? { baseline: s.baseline } : {}) });
    const items: WorkItem[] = rules.findings.map((finding) => {
      const fault = finding.code ? s.kb.faults.find((f) => f.code === finding.code) : undefined;
      return { finding, candidates: fault ? selectCause(fault, s.vehicle).candidates : [], rounds: 0, queries: [], hits: [] };
    });
    const trace = [...s.trace, ...rules.trace.map((t) => ({ ...t, step: `analyst.${t.step}` }))];
    return {
      state: { ...s, rules, items, trace },
      next: 'supervisor',
      detail: { anomalies: items.map((i) => ({ code: i.finding.code, name: i.finding.name, t_start_s: firstTime(i.finding.evidence), candidates: i.candidates.map((c) => c.id) })), unknown_anomalies: items.filter((i) => i.finding.code === null).length },
    };
  };

  const supervisor: Node = async (s) => {
    const left = s.policy.retrievalBudget - s.retrievalsUsed;
    const routes = s.items.map((it) => routeItem(it, s.policy, d.retriever ? left : 0));
    const items = s.items.map((it, i) => {
      const r = routes[i]!;
      if (r === 'fast') return { ...it, route: 'fast' as const, cause: it.candidates[0]!, why: `fast path: the only cause of ${it.finding.code} that fits ${s.vehicle.platform} and its firmware` };
      if (r === 'unknown') return { ...it, route: 'unknown' as const, cause: null, why: 'no knowledge-base entry describes this anomaly' };
      if (r === 'retrieve') return { ...it, route: 'retrieve' as const };
      return it;
    });
    const next = routes.includes('retrieve') ? 'retrieve' : 'diagnostician';
    return {
      state: { ...s, items },
      next,
      detail: { budget_left: left, routes: items.map((it, i) => ({ finding: it.finding.code ?? it.finding.name, route: routes[i], rounds: it.rounds, candidates: it.candidates.length })) },
    };
  };

  const retrieve: Node = async (s) => {
    let used = s.retrievalsUsed;
    const asked: Record<string, unknown>[] = [];
    const items: WorkItem[] = [];
    for (const it of s.items) {
      if (it.cause !== undefined || it.route !== 'retrieve' || used >= s.policy.retrievalBudget || !d.retriever) {
        items.push(it);
        continue;
      }
      const q = queryFor(it, s, it.rounds);
      used++;
      const hits = await d.retriever.search(q);
      asked.push({ finding: it.finding.code ?? it.finding.name, round: it.rounds + 1, query: q.text.slice(0, 200), codes: q.codes ?? null, mode: q.mode, hits: hits.slice(0, 5).map((h) => ({ id: h.passage.id, score: h.score })) });
      const merged = mergeHits(it.hits, hits);
      let next: WorkItem = { ...it, rounds: it.rounds + 1, queries: [...it.queries, q.text], hits: merged };
      if (it.finding.code !== null) {
        const pick = causeFromHits(s.kb, next, s.vehicle, { firstOnly: !s.policy.filters });
        if (pick.cause || next.rounds >= s.policy.maxRounds || !s.policy.filters) next = { ...next, cause: pick.cause, why: pick.why };
      }
      items.push(next);
    }
    return { state: { ...s, items, retrievalsUsed: used }, next: 'supervisor', detail: { queries: asked, retrievals_used: used } };
  };

  const diagnostician: Node = async (s) => {
    const findings = s.items.map((it) => toFinding(it));
    return {
      state: { ...s, findings },
      next: d.narrate ? 'narrator' : 'writer',
      detail: { findings: findings.map((f) => ({ code: f.code, cause_id: f.cause_id, confidence: f.confidence })), decisions: s.items.map((it) => it.why ?? null) },
    };
  };

  const narrator: Node = async (s) => {
    const out = d.narrate ? await d.narrate(s) : s;
    return { state: out, next: 'writer', detail: { model: out.narrative?.model ?? out.llmUsage?.model ?? null, tokens_used: out.narrative?.tokens_used ?? out.llmUsage?.tokens_used ?? 0, note: out.llmNote ?? null } };
  };

  const writer: Node = async (s) => {
    const status = s.findings.some((f) => f.code !== null) ? 'fault' : s.findings.length > 0 ? 'unknown' : 'healthy';
    const summary = summarize(status, s.findings, s.features, s.narrative, s.llmNote);
    return { state: { ...s, status, summary }, next: 'end', detail: { status, findings: s.findings.length } };
  };

  return { analyst, supervisor, retrieve, diagnostician, narrator, writer };
}

function firstTime(ev: Evidence[]): number | null {
  const ts = ev.map((e) => e.t_start_s).filter((t): t is number => t !== undefined);
  return ts.length ? Math.min(...ts) : null;
}

function mergeHits(a: WorkItem['hits'], b: WorkItem['hits']): WorkItem['hits'] {
  const seen = new Set(a.map((h) => h.passage.id));
  return [...a, ...b.filter((h) => !seen.has(h.passage.id))];
}

/** The finding as reported: the decided cause (guarded), retrieval evidence with ids and scores. */
function toFinding(it: WorkItem): Finding {
  const f = it.finding;
  const kbEvidence: Evidence[] = it.hits.slice(0, 4).map((h) => ({ kind: 'kb', ref: h.passage.id, score: h.score, text: `${h.passage.title}: ${h.why.join('; ')}` }));
  if (f.code === null) return { ...f, evidence: [...f.evidence, ...kbEvidence.map((e) => ({ ...e, text: `nearest entry (not a match): ${e.text}` }))] };
  // Never decided (no retrieval available): the rule engine's own choice stands.
  if (it.cause === undefined) return { ...f, evidence: [...f.evidence, ...kbEvidence] };
  const c = it.cause ?? null;
  let confidence = f.confidence;
  if (it.route === 'retrieve' && c) confidence = Math.min(0.95, confidence + 0.05);
  if (!c) confidence = Math.min(confidence, 0.6);
  const note: Evidence[] = it.why ? [{ kind: 'kb', ref: c?.id ?? f.code, text: `supervisor: ${it.why}` }] : [];
  return {
    ...f,
    cause_id: c?.id ?? null,
    root_cause: c?.root_cause ?? null,
    resolution: c?.resolution ?? null,
    recommended_firmware: c?.recommended_firmware ?? null,
    confidence: r2(confidence),
    evidence: [...f.evidence.filter((e) => !(e.kind === 'kb' && c && e.ref !== c.id && e.text.startsWith('also possible'))), ...note, ...kbEvidence],
  };
}
