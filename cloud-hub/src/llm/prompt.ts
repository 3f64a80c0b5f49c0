/**
 * Prompt building for the LLM narrator, pruned to a token budget: the
 * findings (top codes first, evidence trimmed), a feature summary (topics
 * with problems only) and the vehicle. Pure.
 */
import type { SupervisorState } from '../supervisor/state.js';
import { estimateTokens } from './llm-client.js';

/** The system instructions: the LLM narrates and may pick among fitting causes; it never invents one. */
export const SYSTEM_PROMPT = `You are the diagnosis narrator of Argus, a vehicle-log diagnosis platform.
You receive findings that a deterministic engine derived from one drive, for one vehicle (platform and firmware).
Write a short narrative for a fleet engineer: what went wrong, in which order (root first), why, and what to do.
You may call search_knowledge to read knowledge-base entries. You may only name a cause id that appears in the
candidates list of a finding; never invent causes, codes or versions. If unsure, say the cause is unknown.
Answer with one JSON object: {"narrative": string, "causes": [{"code": string, "cause_id": string}]}.`;

/** The user message: findings and features, pruned to about `maxTokens`. */
export function buildUserPrompt(s: SupervisorState, maxTokens: number): string {
  const vehicle = { platform: s.vehicle.platform, firmware: s.vehicle.firmware };
  let evidencePer = 6;
  let textLen = 240;
  for (;;) {
    const findings = s.items.slice(0, 6).map((it) => ({
      code: it.finding.code, name: it.finding.name, confidence: it.finding.confidence,
      cause_id: it.cause === undefined ? it.finding.cause_id : (it.cause?.id ?? null),
      candidates: it.candidates.map((c) => ({ id: c.id, root_cause: c.root_cause.slice(0, textLen) })),
      consequences: it.finding.consequences,
      evidence: it.finding.evidence.filter((e) => e.kind !== 'kb').slice(0, evidencePer).map((e) => `${e.t_start_s !== undefined ? `t=${e.t_start_s.toFixed(1)}s ` : ''}${e.text.slice(0, textLen)}`),
    }));
    const topics = Object.entries(s.features.topics)
      .filter(([, t]) => t.gaps.count > 0 || t.bad_rows > 0)
      .slice(0, 12)
      .map(([name, t]) => `${name}: ${t.count} msgs, ${t.gaps.count} gaps (longest ${(t.gaps.largest[0]?.duration_s ?? 0).toFixed(1)} s)`);
    const text = JSON.stringify({ vehicle, duration_s: Math.round(s.features.drive.duration_s), findings, topics_with_gaps: topics });
    if (estimateTokens(text) <= maxTokens || (evidencePer <= 1 && textLen <= 60)) return text.slice(0, maxTokens * 4);
    evidencePer = Math.max(1, evidencePer - 2);
    textLen = Math.max(60, Math.floor(textLen / 2));
  }
}
