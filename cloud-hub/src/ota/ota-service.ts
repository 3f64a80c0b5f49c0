/**
 * OTA recommendations: a diagnosis matching a rule creates a recommendation;
 * the OTA team approves or rejects it; approved ones are pushed to the vehicle
 * (MQTT downlink `recommendation`) and its acknowledgement is recorded.
 */
import type { DiagnosisReport, FirmwareRecommendation, Logger } from '@argus/shared';
import { ApiFailure } from '../auth/api-failure.js';
import type { UserStore } from '../auth/user-store.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import type { BatchStore } from '../store/batch-store.js';
import { matchRules, rulesFromKb, type OtaRule, type OtaRuleInput } from './ota-rule.js';
import type { OtaStore, RecommendationRecord } from './ota-store.js';

/** What the service needs. `publish` sends a downlink to one vehicle. */
export interface OtaDeps {
  store: OtaStore;
  batches: Pick<BatchStore, 'get'>;
  audit: Pick<UserStore, 'audit'>;
  publish(vin: string, payload: FirmwareRecommendation): Promise<void>;
  log: Logger;
}

/** The payload pushed to the vehicle for an approved recommendation. */
export function toDownlink(r: RecommendationRecord): FirmwareRecommendation {
  return {
    v: 1, recommendation_id: r.recommendation_id, vin: r.vin, batch_id: r.batch_id, fault_code: r.fault_code, cause_id: r.cause_id,
    target: { component: r.target_component, version: r.target_version }, current_version: r.current_version, note: r.note,
    ...(r.decided_by ? { approved_by: r.decided_by } : {}), created_at: r.created_at,
  };
}

/** Rules, recommendations, decisions and delivery. */
export class OtaService {
  constructor(private readonly d: OtaDeps) {}

  /** Seeds rules from the KB's recommended firmware (existing rules, edited or not, are kept). */
  async seed(kb: KnowledgeBase): Promise<number> {
    return this.d.store.seedRules(rulesFromKb(kb));
  }

  /** A report was stored: record a recommendation per matching rule. */
  async onDiagnosis(report: DiagnosisReport): Promise<RecommendationRecord[]> {
    if (report.status !== 'fault') return [];
    const batch = await this.d.batches.get(report.batch_id);
    const firmware = batch?.manifest?.vehicle.firmware ?? {};
    const matches = matchRules(await this.d.store.rules(), report, firmware);
    const recs = await this.d.store.addRecommendations(report.vin, report.batch_id, matches);
    for (const r of recs) this.d.log.info('recommendation created', { id: r.recommendation_id, vin: r.vin, batch_id: r.batch_id, rule: r.rule_id });
    return recs;
  }

  /** Approves (and pushes) or rejects a pending recommendation. */
  async decide(id: string, decision: 'approved' | 'rejected', by: string, comment: string): Promise<RecommendationRecord> {
    const r = await this.d.store.decide(id, decision, by, comment);
    if (!r) {
      const existing = await this.d.store.get(id);
      throw existing ? new ApiFailure('CONFLICT', `recommendation ${id} is already ${existing.status}`) : new ApiFailure('NOT_FOUND', `recommendation ${id} not found`);
    }
    await this.d.audit.audit(by, `recommendation.${decision === 'approved' ? 'approve' : 'reject'}`, `recommendation:${id}`, { vin: r.vin, comment, target: `${r.target_component}@${r.target_version}` });
    if (decision === 'approved') await this.push(r);
    return (await this.d.store.get(id)) ?? r;
  }

  /** Pushes an approved recommendation to its vehicle (again, if asked). */
  async push(r: RecommendationRecord): Promise<void> {
    await this.d.publish(r.vin, toDownlink(r));
    await this.d.store.markSent(r.recommendation_id);
  }

  /**
   * Pushes again every approved recommendation the vehicle has not acknowledged
   * (`delivered_at` unset) — called when the vehicle comes online, since a push
   * made while it was offline may have been lost (the embedded broker keeps
   * queues in memory). The vehicle dedupes by `recommendation_id`. Returns how many.
   */
  async redeliver(vin: string): Promise<number> {
    const { rows } = await this.d.store.list({ status: 'approved', vin, limit: 100, offset: 0 });
    const due = rows.filter((r) => r.delivered_at === null);
    for (const r of due) await this.push(r);
    return due.length;
  }

  /** The vehicle acknowledged a recommendation. */
  async delivered(vin: string, id: string): Promise<void> {
    if (!(await this.d.store.markDelivered(id, vin))) this.d.log.warn('recommendation ack ignored', { vin, id });
  }

  async putRule(ruleId: string, input: OtaRuleInput, by: string): Promise<OtaRule> {
    const before = await this.d.store.rule(ruleId);
    const r = await this.d.store.putRule(ruleId, input, by);
    await this.d.audit.audit(by, before ? 'ota_rule.update' : 'ota_rule.create', `ota_rule:${ruleId}`, { before, after: input });
    return r;
  }

  async deleteRule(ruleId: string, by: string): Promise<void> {
    const before = await this.d.store.rule(ruleId);
    if (!before || !(await this.d.store.deleteRule(ruleId))) throw new ApiFailure('NOT_FOUND', `rule ${ruleId} not found`);
    await this.d.audit.audit(by, 'ota_rule.delete', `ota_rule:${ruleId}`, { before });
  }
}
