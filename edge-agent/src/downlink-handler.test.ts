import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, vehicleTopic, type DiagnosisReport, type DownlinkAck, type FirmwareRecommendation } from '@argus/shared';
import { DownlinkHandler } from './downlink-handler.js';
import { DownlinkStore } from './downlink-store.js';

const VIN = 'LJ8E3C1M3NU080181';
const OTHER = 'WVWZZZ1JZXW000001';
const BATCH = '0c78aa37-87c0-8df0-ab19-711052e2760a';

async function setup() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-downlink-'));
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as Record<string, unknown>));
  const acks: DownlinkAck[] = [];
  const store = new DownlinkStore(dir);
  const h = new DownlinkHandler({ vin: VIN, store, log, sendAck: async (a) => void acks.push(a) });
  return { h, store, lines, acks };
}

const report = (vin = VIN): DiagnosisReport => ({
  v: 1, report_id: 'r1', batch_id: BATCH, vin, platform: 'J7', status: 'fault', summary: 'fan', engine: 'rules', trace: [], created_at: '2026-01-01T00:00:00Z',
  findings: [{ code: '0xA001', name: 'CPU_THERMAL_THROTTLE', cause_id: null, confidence: 0.9, root_cause: null, resolution: null, recommended_firmware: null, consequences: [], evidence: [] }],
});
const rec: FirmwareRecommendation = { v: 1, recommendation_id: 'rec1', vin: VIN, fault_code: '0xA001', cause_id: null, target: { component: 'adcu', version: '4.6.2' }, current_version: '4.5.9', note: 'fan curve', created_at: '2026-01-01T00:00:00Z' };

describe('DownlinkHandler', () => {
  it('validates, stores and acknowledges reports and recommendations', async () => {
    const { h, store, acks } = await setup();
    expect(await h.handle(vehicleTopic(VIN, 'diagnosis'), Buffer.from(JSON.stringify(report())))).toBe(true);
    expect(await h.handle(vehicleTopic(VIN, 'recommendation'), Buffer.from(JSON.stringify(rec)))).toBe(true);
    expect((await store.getReport(BATCH))?.report_id).toBe('r1');
    expect((await store.lastReport())?.report_id).toBe('r1');
    expect((await store.listRecommendations()).map((r) => r.recommendation_id)).toEqual(['rec1']);
    expect(acks.map((a) => `${a.kind}:${a.id}`)).toEqual(['diagnosis:r1', 'recommendation:rec1']);
  });

  it('rejects malformed and foreign messages, stores nothing, acks nothing, logs a JSON line with a code', async () => {
    const { h, store, acks, lines } = await setup();
    const cases: [string, string, string][] = [
      [vehicleTopic(VIN, 'diagnosis'), '{not json', 'BAD_PAYLOAD'],
      [vehicleTopic(VIN, 'diagnosis'), JSON.stringify({ ...report(), status: 'maybe' }), ''],
      [vehicleTopic(VIN, 'diagnosis'), JSON.stringify(report(OTHER)), 'FOREIGN_VEHICLE'],
      [vehicleTopic(OTHER, 'diagnosis'), JSON.stringify(report(OTHER)), 'FOREIGN_TOPIC'],
      ['some/other/topic', '{}', 'FOREIGN_TOPIC'],
      [vehicleTopic(VIN, 'recommendation'), JSON.stringify({ ...rec, vin: OTHER }), 'FOREIGN_VEHICLE'],
      [vehicleTopic(VIN, 'chunks'), '{}', 'UNEXPECTED_KIND'],
    ];
    for (const [topic, body, code] of cases) {
      expect(await h.handle(topic, Buffer.from(body))).toBe(false);
      const l = lines.at(-1) as { msg: string; code: string; level: string; topic: string };
      expect(l).toMatchObject({ msg: 'downlink message rejected', level: 'warn', topic });
      if (code) expect(l.code).toBe(code);
      else expect(typeof l.code).toBe('string');
    }
    expect(acks).toEqual([]);
    expect(await store.lastReport()).toBeNull();
    expect(await store.listRecommendations()).toEqual([]);
  });
});
