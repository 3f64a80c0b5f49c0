/**
 * Prompt building for the LLM narrator, pruned to a token budget: the top
 * codes (root first) always, then the findings with their candidates and
 * evidence, and a summary of the drive's features (topics with gaps, non-OK
 * statuses, log counts and the loudest WARN+ lines) — each cut shorter,
 * level by level, until the prompt fits. The prompt is always whole JSON. Pure.
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

/** How much of each part one pruning level keeps. */
interface Level {
  findings: number;
  evidence: number;
  text: number;
  /** Lines of the feature summary. */
  features: number;
  /** Keep every firmware component (else only those the candidates name). */
  allFirmware: boolean;
}

/** From everything to the bare minimum; the first level that fits is sent. */
export const PRUNING_LEVELS: readonly Level[] = [
  { findings: 6, evidence: 6, text: 240, features: 12, allFirmware: true },
  { findings: 6, evidence: 4, text: 160, features: 8, allFirmware: true },
  { findings: 4, evidence: 2, text: 100, features: 5, allFirmware: false },
  { findings: 3, evidence: 1, text: 60, features: 3, allFirmware: false },
  { findings: 3, evidence: 0, text: 40, features: 0, allFirmware: false },
  { findings: 0, evidence: 0, text: 0, features: 0, allFirmware: false },
];

const cut = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`);

/** One line per notable fact of the drive's features, most telling first. */
export function featureSummary(s: SupervisorState): string[] {
  const f = s.features;
  const lines: string[] = [];
  for (const d of f.diagnostics.filter((x) => x.level >= 1).sort((a, b) => b.level - a.level || b.count - a.count)) {
    lines.push(`status ${d.name} ${['OK', 'WARN', 'ERROR', 'STALE'][d.level] ?? d.level} "${d.message}"${d.code ? ` ${d.code}` : ''} ×${d.count}, t=${d.first_s.toFixed(0)}–${d.last_s.toFixed(0)} s`);
  }
  for (const g of [...f.rosout.groups].sort((a, b) => b.level - a.level || b.count - a.count)) {
    lines.push(`log L${g.level} [${g.node}] ${g.text} ×${g.count}, from t=${g.first_s.toFixed(0)} s`);
  }
  for (const [name, t] of Object.entries(f.topics)) {
    if (t.gaps.count > 0 || t.bad_rows > 0) lines.push(`${name}: ${t.count} msgs, ${t.gaps.count} gaps (longest ${(t.gaps.largest[0]?.duration_s ?? 0).toFixed(1)} s)${t.bad_rows ? `, ${t.bad_rows} bad rows` : ''}`);
  }
  const levels = Object.entries(f.rosout.by_level).map(([k, v]) => `${k} ${v}`).join(', ');
  if (levels) lines.push(`log lines by level: ${levels}`);
  return lines;
}

function render(s: SupervisorState, lv: Level, topCodes: string[], features: string[]): string {
  const items = s.items.slice(0, lv.findings);
  const components = new Set(items.flatMap((it) => it.candidates.map((c) => c.firmware_component)));
  const firmware = lv.allFirmware ? s.vehicle.firmware : Object.fromEntries(Object.entries(s.vehicle.firmware).filter(([k]) => components.has(k)));
  const findings = items.map((it) => ({
    code: it.finding.code,
    name: cut(it.finding.name, Math.max(lv.text, 40)),
    confidence: it.finding.confidence,
    cause_id: it.cause === undefined ? it.finding.cause_id : (it.cause?.id ?? null),
    candidates: it.candidates.map((c) => (lv.text >= 60 ? { id: c.id, root_cause: cut(c.root_cause, lv.text) } : { id: c.id })),
    ...(lv.evidence > 0 ? { consequences: it.finding.consequences.map((c) => cut(c, lv.text)) } : {}),
    ...(lv.evidence > 0
      ? { evidence: it.finding.evidence.filter((e) => e.kind !== 'kb').slice(0, lv.evidence).map((e) => `${e.t_start_s !== undefined ? `t=${e.t_start_s.toFixed(1)}s ` : ''}${cut(e.text, lv.text)}`) }
      : {}),
  }));
  return JSON.stringify({
    vehicle: { platform: s.vehicle.platform, firmware },
    duration_s: Math.round(s.features.drive.duration_s),
    top_codes: topCodes,
    ...(findings.length ? { findings } : {}),
    ...(lv.features > 0 ? { drive: features.slice(0, lv.features).map((l) => cut(l, lv.text)) } : {}),
  });
}

/**
 * The user message: findings and features, pruned to about `maxTokens`
 * (estimated at 4 characters a token). The top codes always survive.
 * @example buildUserPrompt(state, 1500)
 */
export function buildUserPrompt(s: SupervisorState, maxTokens: number): string {
  const topCodes = s.items.map((it) => it.finding.code ?? `unknown: ${cut(it.finding.name, 60)}`).slice(0, 8);
  const features = featureSummary(s);
  let text = '';
  for (const lv of PRUNING_LEVELS) {
    text = render(s, lv, topCodes, features);
    if (estimateTokens(text) <= maxTokens) return text;
  }
  return text;
}
