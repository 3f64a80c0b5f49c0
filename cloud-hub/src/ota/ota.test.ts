import { describe, expect, it } from 'vitest';
import { demoKnowledgeBase } from '../kb/demo-kb.js';
import { fleetImpact, impactCsv, type FleetVehicle } from './fleet-impact.js';
import { matchRules, rulesFromKb, type OtaRule } from './ota-rule.js';

const rules: OtaRule[] = rulesFromKb(demoKnowledgeBase()).map((r) => ({ ...r, updated_by: 'seed', updated_at: 'x' }));
const finding = (code: string, cause_id: string | null) => ({
  code, cause_id, name: code, confidence: 0.9, root_cause: null, resolution: null, recommended_firmware: null, consequences: [], evidence: [],
});

describe('OTA rules', () => {
  it('are seeded from every KB cause with a recommended firmware', () => {
    const r = rules.find((x) => x.rule_id === 'kb:0xA001-b');
    expect(r).toMatchObject({ fault_code: '0xA001', cause_id: '0xA001-b', platforms: ['T2'], affected_versions: '<4.6.0', target_version: '4.6.2' });
    expect(rules.some((x) => x.rule_id === 'kb:0xA001-a')).toBe(false);
  });

  it('match code + cause + platform + firmware range', () => {
    const report = { platform: 'T2', findings: [finding('0xA001', '0xA001-b')] };
    expect(matchRules(rules, report, { adcu: '4.5.9' })).toEqual([
      expect.objectContaining({ rule_id: 'kb:0xA001-b', target_component: 'adcu', target_version: '4.6.2', current_version: '4.5.9' }),
    ]);
    expect(matchRules(rules, report, { adcu: '4.6.0' })).toEqual([]); // outside the range
    expect(matchRules(rules, { ...report, platform: 'J7' }, { adcu: '4.5.9' })).toEqual([]); // wrong platform
    expect(matchRules(rules, { platform: 'T2', findings: [finding('0xA001', '0xA001-a')] }, { adcu: '4.5.9' })).toEqual([]); // other cause
    expect(matchRules(rules, report, {})).toEqual([]); // component unknown, range is not *
  });

  it('skip disabled rules and vehicles already on the target', () => {
    const report = { platform: 'T2', findings: [finding('0xA001', '0xA001-b')] };
    expect(matchRules(rules.map((r) => ({ ...r, enabled: false })), report, { adcu: '4.5.9' })).toEqual([]);
    const custom: OtaRule = { ...rules[0]!, rule_id: 'r', fault_code: '0xA001', cause_id: null, platforms: [], firmware_component: 'adcu', affected_versions: '*', target_component: 'gw', target_version: '2.0.0' };
    expect(matchRules([custom], report, { adcu: '1.0.0', gw: '2.0.0' })).toEqual([]);
    expect(matchRules([custom], report, { adcu: '1.0.0', gw: '1.9.9' })).toHaveLength(1);
  });
});

describe('fleet impact', () => {
  const fleet: FleetVehicle[] = [
    { vin: 'B', platform: 'T2', firmware: { adcu: '4.5.1' }, last_seen_at: 't' },
    { vin: 'A', platform: 'T2', firmware: { adcu: '4.5.9' }, last_seen_at: 't' },
    { vin: 'C', platform: 'J7', firmware: { adcu: '4.5.1' }, last_seen_at: 't' },
    { vin: 'D', platform: 'T2', firmware: { adcu: '4.7.0' }, last_seen_at: 't' },
    { vin: 'E', platform: 'T2', firmware: {}, last_seen_at: 't' },
  ];
  it('lists vehicles on an affected version, by platform', () => {
    expect(fleetImpact(fleet, { component: 'adcu', range: '<4.6.0', platforms: ['T2'] }).map((r) => r.vin)).toEqual(['A', 'B']);
    expect(fleetImpact(fleet, { component: 'adcu', range: '<4.6.0' }).map((r) => r.vin)).toEqual(['A', 'B', 'C']);
  });
  it('exports CSV with quoting and formula guarding', () => {
    const csv = impactCsv([{ vin: '=cmd', platform: 'a,b', component: 'adcu', version: '1"2', last_seen_at: 't' }]);
    expect(csv).toBe('vin,platform,component,version,last_seen_at\r\n\'=cmd,"a,b",adcu,"1""2",t\r\n');
  });
});
