/**
 * OTA recommendation rules and the pure matching of a diagnosis against them:
 * fault code (+ cause) + platform + firmware range of one component →
 * recommended component and version, with a note.
 */
import { z } from 'zod';
import type { DiagnosisReport } from '@argus/shared';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { compareVersions, isValidRange, parseVersion, versionInRange } from '../kb/version-range.js';

/** A rule as the OTA team edits it. */
export const OtaRuleInput = z.object({
  fault_code: z.string().min(1).max(32),
  /** null = any cause of the fault. */
  cause_id: z.string().min(1).max(64).nullable(),
  /** Empty = every platform. */
  platforms: z.array(z.string().min(1).max(16)).max(16),
  firmware_component: z.string().min(1).max(64),
  affected_versions: z.string().min(1).max(128).refine(isValidRange, 'not a version range (e.g. "<4.6.0", "4.5.0 - 4.5.3", "*")'),
  target_component: z.string().min(1).max(64),
  target_version: z.string().min(1).max(64).refine((v) => parseVersion(v) !== null, 'not a version'),
  note: z.string().max(2000),
  enabled: z.boolean(),
});
export type OtaRuleInput = z.infer<typeof OtaRuleInput>;

/** A stored rule. */
export interface OtaRule extends OtaRuleInput {
  rule_id: string;
  updated_by: string;
  updated_at: string;
}

/** What a rule recommends for one vehicle after one diagnosis. */
export interface RuleMatch {
  rule_id: string;
  fault_code: string;
  cause_id: string | null;
  target_component: string;
  target_version: string;
  current_version: string | null;
  note: string;
}

/**
 * Rules matching a report's findings on a vehicle with `firmware`
 * (component → version). A vehicle already at or above the target is skipped;
 * a vehicle that does not report the component matches only a `*` range.
 * One match per rule.
 */
export function matchRules(rules: readonly OtaRule[], report: Pick<DiagnosisReport, 'platform' | 'findings'>, firmware: Readonly<Record<string, string>>): RuleMatch[] {
  const out = new Map<string, RuleMatch>();
  for (const f of report.findings) {
    if (!f.code) continue;
    for (const r of rules) {
      if (!r.enabled || out.has(r.rule_id) || r.fault_code !== f.code) continue;
      if (r.cause_id !== null && r.cause_id !== f.cause_id) continue;
      if (r.platforms.length > 0 && !r.platforms.includes(report.platform)) continue;
      const current = firmware[r.firmware_component] ?? null;
      if (current === null ? r.affected_versions.trim() !== '*' : !versionInRange(current, r.affected_versions)) continue;
      const onTarget = firmware[r.target_component];
      if (onTarget !== undefined && parseVersion(onTarget) && compareVersions(onTarget, r.target_version) >= 0) continue;
      out.set(r.rule_id, {
        rule_id: r.rule_id, fault_code: f.code, cause_id: f.cause_id, target_component: r.target_component,
        target_version: r.target_version, current_version: onTarget ?? current, note: r.note,
      });
    }
  }
  return [...out.values()];
}

/** Seed rules from the knowledge base: one per cause with a recommended firmware, id `kb:<cause id>`. */
export function rulesFromKb(kb: KnowledgeBase): (OtaRuleInput & { rule_id: string })[] {
  return kb.faults.flatMap((f) =>
    f.causes.flatMap((c) => (c.recommended_firmware ? [{
      rule_id: `kb:${c.id}`, fault_code: f.code, cause_id: c.id, platforms: [...c.platforms], firmware_component: c.firmware_component,
      affected_versions: c.affected_versions, target_component: c.recommended_firmware.component, target_version: c.recommended_firmware.version,
      note: c.resolution, enabled: true,
    }] : [])),
  );
}
