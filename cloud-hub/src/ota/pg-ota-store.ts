import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { FleetVehicle } from './fleet-impact.js';
import type { OtaRule, OtaRuleInput, RuleMatch } from './ota-rule.js';
import type { OtaStore, RecommendationRecord } from './ota-store.js';

const TS = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const RULE = `rule_id, fault_code, cause_id, platforms, firmware_component, affected_versions, target_component, target_version, note, enabled, updated_by, ${TS('updated_at')} AS updated_at`;
const REC = `recommendation_id, vin, batch_id::text, rule_id, fault_code, cause_id, target_component, target_version, current_version, note, status,
  ${TS('created_at')} AS created_at, decided_by, ${TS('decided_at')} AS decided_at, comment, ${TS('sent_at')} AS sent_at, ${TS('delivered_at')} AS delivered_at`;
const RULE_COLS = 'rule_id, fault_code, cause_id, platforms, firmware_component, affected_versions, target_component, target_version, note, enabled, updated_by';

const SQL = {
  rules: `SELECT ${RULE} FROM ota_rules ORDER BY fault_code, rule_id`,
  rule: `SELECT ${RULE} FROM ota_rules WHERE rule_id = $1`,
  seed: `INSERT INTO ota_rules (${RULE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'seed') ON CONFLICT (rule_id) DO NOTHING`,
  put: `INSERT INTO ota_rules (${RULE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (rule_id) DO UPDATE SET fault_code = EXCLUDED.fault_code, cause_id = EXCLUDED.cause_id, platforms = EXCLUDED.platforms,
      firmware_component = EXCLUDED.firmware_component, affected_versions = EXCLUDED.affected_versions, target_component = EXCLUDED.target_component,
      target_version = EXCLUDED.target_version, note = EXCLUDED.note, enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()
    RETURNING ${RULE}`,
  deleteRule: `DELETE FROM ota_rules WHERE rule_id = $1`,
  add: `INSERT INTO recommendations (recommendation_id, vin, batch_id, rule_id, fault_code, cause_id, target_component, target_version, current_version, note)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (batch_id, rule_id) DO NOTHING RETURNING ${REC}`,
  get: `SELECT ${REC} FROM recommendations WHERE recommendation_id = $1`,
  list: `SELECT ${REC}, count(*) OVER ()::int AS total FROM recommendations
    WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR vin = $2) AND ($3::uuid IS NULL OR batch_id = $3)
    ORDER BY created_at DESC, recommendation_id LIMIT $4 OFFSET $5`,
  decide: `UPDATE recommendations SET status = $2, decided_by = $3, decided_at = now(), comment = $4
    WHERE recommendation_id = $1 AND status = 'pending' RETURNING ${REC}`,
  sent: `UPDATE recommendations SET sent_at = now() WHERE recommendation_id = $1`,
  delivered: `UPDATE recommendations SET delivered_at = COALESCE(delivered_at, now()) WHERE recommendation_id = $1 AND vin = $2 AND status = 'approved'`,
  vehicles: `SELECT vin, platform, firmware, ${TS('last_seen_at')} AS last_seen_at FROM vehicles ORDER BY vin`,
} as const;

/** OtaStore on Postgres (migrations/0010). */
export class PgOtaStore implements OtaStore {
  constructor(private readonly pool: pg.Pool) {}

  async rules(): Promise<OtaRule[]> {
    return (await this.pool.query<OtaRule>(SQL.rules)).rows;
  }
  async rule(ruleId: string): Promise<OtaRule | null> {
    return (await this.pool.query<OtaRule>(SQL.rule, [ruleId])).rows[0] ?? null;
  }
  async seedRules(rules: readonly (OtaRuleInput & { rule_id: string })[]): Promise<number> {
    let n = 0;
    for (const r of rules) n += (await this.pool.query(SQL.seed, [r.rule_id, ...ruleValues(r)])).rowCount ?? 0;
    return n;
  }
  async putRule(ruleId: string, r: OtaRuleInput, by: string): Promise<OtaRule> {
    return (await this.pool.query<OtaRule>(SQL.put, [ruleId, ...ruleValues(r), by])).rows[0]!;
  }
  async deleteRule(ruleId: string): Promise<boolean> {
    return (await this.pool.query(SQL.deleteRule, [ruleId])).rowCount === 1;
  }
  async addRecommendations(vin: string, batchId: string, matches: readonly RuleMatch[]): Promise<RecommendationRecord[]> {
    const out: RecommendationRecord[] = [];
    for (const m of matches) {
      const r = await this.pool.query<RecommendationRecord>(SQL.add, [
        `rec-${randomUUID()}`, vin, batchId, m.rule_id, m.fault_code, m.cause_id, m.target_component, m.target_version, m.current_version, m.note,
      ]);
      if (r.rows[0]) out.push(r.rows[0]);
    }
    return out;
  }
  async get(id: string): Promise<RecommendationRecord | null> {
    return (await this.pool.query<RecommendationRecord>(SQL.get, [id])).rows[0] ?? null;
  }
  async list(o: { status?: string; vin?: string; batchId?: string; limit: number; offset: number }): Promise<{ rows: RecommendationRecord[]; total: number }> {
    const r = await this.pool.query<RecommendationRecord & { total: number }>(SQL.list, [o.status ?? null, o.vin ?? null, o.batchId ?? null, o.limit, o.offset]);
    return { rows: r.rows.map(({ total: _, ...x }) => x), total: r.rows[0]?.total ?? 0 };
  }
  async decide(id: string, status: 'approved' | 'rejected', by: string, comment: string): Promise<RecommendationRecord | null> {
    return (await this.pool.query<RecommendationRecord>(SQL.decide, [id, status, by, comment])).rows[0] ?? null;
  }
  async markSent(id: string): Promise<void> {
    await this.pool.query(SQL.sent, [id]);
  }
  async markDelivered(id: string, vin: string): Promise<boolean> {
    return (await this.pool.query(SQL.delivered, [id, vin])).rowCount === 1;
  }
  async vehicles(): Promise<FleetVehicle[]> {
    return (await this.pool.query<FleetVehicle>(SQL.vehicles)).rows;
  }
}

function ruleValues(r: OtaRuleInput): unknown[] {
  return [r.fault_code, r.cause_id, r.platforms, r.firmware_component, r.affected_versions, r.target_component, r.target_version, r.note, r.enabled];
}
