import type { FleetVehicle } from './fleet-impact.js';
import type { OtaRule, OtaRuleInput, RuleMatch } from './ota-rule.js';

/** A recommendation as stored and shown to the OTA team. */
export interface RecommendationRecord extends RuleMatch {
  recommendation_id: string;
  vin: string;
  batch_id: string;
  status: 'pending' | 'approved' | 'rejected';
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
  sent_at: string | null;
  delivered_at: string | null;
}

/** OTA rules, recommendations and the fleet's firmware. Implementation: PgOtaStore. */
export interface OtaStore {
  rules(): Promise<OtaRule[]>;
  rule(ruleId: string): Promise<OtaRule | null>;
  /** Inserts seed rules that do not exist yet (edits survive restarts). Returns how many were added. */
  seedRules(rules: readonly (OtaRuleInput & { rule_id: string })[]): Promise<number>;
  /** Creates or replaces a rule. */
  putRule(ruleId: string, r: OtaRuleInput, by: string): Promise<OtaRule>;
  deleteRule(ruleId: string): Promise<boolean>;
  /** Records matches for a batch; one per (batch, rule), so a re-diagnosis adds none. Returns the new ones. */
  addRecommendations(vin: string, batchId: string, matches: readonly RuleMatch[]): Promise<RecommendationRecord[]>;
  get(id: string): Promise<RecommendationRecord | null>;
  list(opts: { status?: string; vin?: string; batchId?: string; limit: number; offset: number }): Promise<{ rows: RecommendationRecord[]; total: number }>;
  /** Moves a pending recommendation to approved/rejected; null when it was not pending. */
  decide(id: string, status: 'approved' | 'rejected', by: string, comment: string): Promise<RecommendationRecord | null>;
  markSent(id: string): Promise<void>;
  /** Records the vehicle's delivery acknowledgement (first one wins); false when unknown or not from that vehicle. */
  markDelivered(id: string, vin: string): Promise<boolean>;
  vehicles(): Promise<FleetVehicle[]>;
}
