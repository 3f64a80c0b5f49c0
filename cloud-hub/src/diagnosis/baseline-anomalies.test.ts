import { describe, expect, it } from 'vitest';
import type { VehicleInfo } from '@argus/shared';
import { createGatherer } from '../gather/gatherer.js';
import { referenceDrive, type DriveMods } from '../gather/testing/reference-drive.js';
import { watchesFromKb } from '../gather/watch-spec.js';
import { demoKnowledgeBase } from '../kb/demo-kb.js';
import { detectAnomalies } from './anomalies.js';
import { diagnoseRules } from './diagnose-rules.js';
import { learnBaseline } from './healthy-baseline.js';

// The generic detector against a baseline learned from healthy drives of the
// gather fixture (not the simulator): every kind of deviation is found on any
// field, healthy drives stay clean, and a fault's side effects stay with the fault.
const kb = demoKnowledgeBase();
const watches = watchesFromKb(kb);

function features(mods: DriveMods = {}) {
  const g = createGatherer({ watches });
  for (const [topic, chunks] of referenceDrive(mods)) for (const c of chunks) g.addChunk(topic, c);
  return g.finish();
}

const healthy = [180, 200, 400, 420].map((durationS) => ({ platform: 'J7', features: features({ durationS }) }));
const baseline = learnBaseline(healthy, 'unit test: 4 fixture drives');
const J7 = baseline.platforms['J7']!;
const within = (a: number, b: number) => (t: number) => t >= a && t < b;
const anomalies = (mods: DriveMods) => detectAnomalies(features({ durationS: 240, ...mods }), kb, J7);

describe('healthy baseline', () => {
  it('learns rates, dynamics and which levels are bounded', () => {
    const imu = J7.topics['/imu/data']!;
    expect(imu.rate_hz).toBeCloseTo(100, 0);
    expect(imu.min_rate_ratio).toBeGreaterThan(0.9);
    const pose = J7.topics['/localization/pose']!.fields;
    expect(pose['x']!.bounded).toBe(false); // a position grows with the drive
    expect(pose['cov_trace']!.bounded).toBe(true);
    expect(J7.topics['/power/battery']!.fields['hv_voltage_v']!.constant).toBe(true);
    expect(J7.topics['/sensors/lidar_front/scan_meta']!.fields['count']!.constant).toBe(false);
  });

  it('finds nothing on a healthy drive of another length', () => {
    expect(detectAnomalies(features({ durationS: 300 }), kb, J7)).toEqual([]);
    expect(diagnoseRules(features({ durationS: 600 }), vehicle(), kb, { baseline }).findings).toEqual([]);
  });
});

describe('deviations from the healthy baseline', () => {
  it('a value that freezes while its topic keeps publishing is stuck', () => {
    const [a, ...rest] = anomalies({ values: { '/sensors/lidar_front/scan_meta': { count: (t, h) => (t >= 90 && t < 150 ? 119_600 : h) } } });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'value', topic: '/sensors/lidar_front/scan_meta', name: expect.stringMatching(/count: stuck/) });
    expect(a!.t_start_s).toBeGreaterThanOrEqual(89);
    expect(a!.t_start_s).toBeLessThan(92);
    expect(a!.text).toMatch(/held exactly 119600 for 6\d\.\d s/);
  });

  it('a step to a new level is a level shift, dated at the step', () => {
    const [a, ...rest] = anomalies({ values: { '/network/stats': { rtt_ms: (t, h) => (t >= 120 ? 6.5 : h) } } });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'value', topic: '/network/stats' });
    expect(a!.name).toMatch(/rtt_ms: (level shift|out of healthy range)/);
    expect(Math.abs(a!.t_start_s - 120)).toBeLessThanOrEqual(3);
  });

  it('an oscillation is restlessness far above the healthy activity', () => {
    const [a, ...rest] = anomalies({ values: { '/power/battery': { lv_voltage_v: (t, h) => (t >= 100 && t < 150 ? 14 + 0.9 * Math.sin(2 * Math.PI * 1.3 * t) : h) } } });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'value', topic: '/power/battery', name: expect.stringMatching(/lv_voltage_v: oscillation/) });
  });

  it('a topic that keeps publishing at an eighth of its rate has collapsed', () => {
    const list = anomalies({ drop: { '/imu/data': (t) => t >= 60 && t < 130 && Math.round(t * 100) % 8 !== 0 } });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'rate', topic: '/imu/data', name: expect.stringMatching(/rate collapsed to 1\d\.\d Hz/) });
  });

  it('a silent topic stays a silence, not also a rate drop', () => {
    const list = anomalies({ drop: { '/localization/pose': within(100, 130) } });
    expect(list.map((a) => a.kind)).toEqual(['silence']);
  });

  it('an ERROR burst no healthy drive showed and no KB entry names is an anomaly; known lines and a few errors are not', () => {
    const burst = Array.from({ length: 12 }, (_, i) => ({ t: 100 + 2 * i, level: 40, name: 'bms_monitor', msg: 'contactor feedback mismatch' }));
    expect(anomalies({ logs: burst })).toEqual([expect.objectContaining({ kind: 'log', name: 'ERROR burst from bms_monitor: contactor feedback mismatch' })]);
    expect(anomalies({ logs: burst.slice(0, 4) })).toEqual([]);
    expect(anomalies({ logs: burst.map((l) => ({ ...l, name: 'planner', msg: 'cycle overrun' })) })).toEqual([]);
  });

  it('a platform without a baseline gets only the baseline-free checks', () => {
    const f = features({ durationS: 240, values: { '/network/stats': { rtt_ms: (t, h) => (t >= 120 ? 6.5 : h) } } });
    expect(diagnoseRules(f, vehicle('Z9'), kb, { baseline }).findings).toEqual([]);
    expect(diagnoseRules(f, vehicle('J7'), kb, { baseline }).status).toBe('unknown');
  });
});

describe('a fault keeps its side effects', () => {
  // CPU overheats from t≈65 s (0xA001); perception slows while it is hot — no KB rule names that.
  const thermal: DriveMods = {
    durationS: 240,
    values: {
      '/compute/stats': { cpu_temp_c: (t, h) => (t < 40 ? h : Math.min(99, 66 + (t - 40) * 1.2)) },
      '/perception/summary': { latency_ms: (t, h) => (t >= 62 ? Number(h) + 30 : h) },
    },
    statuses: (t) => (t >= 66 ? [{ level: 2, name: 'adcu_thermal', message: 'cpu throttling', code: '0xA001' }] : []),
  };

  it('a deviation that begins while a detected fault is active is its probable consequence', () => {
    const r = diagnoseRules(features(thermal), vehicle(), kb, { baseline });
    expect(r.findings.map((f) => f.code)).toEqual(['0xA001']);
    expect(r.findings[0]!.consequences).toEqual([expect.stringMatching(/^\/perception\/summary latency_ms/)]);
    expect(r.findings[0]!.evidence.some((e) => /probable consequence, began at t=\d+\.\d s while 0xA001 was active/.test(e.text))).toBe(true);
  });

  it('one that begins long before the fault stays an unknown finding of its own', () => {
    const early = { ...thermal, values: { ...thermal.values, '/perception/summary': { latency_ms: (t: number, h: unknown) => (t >= 20 ? Number(h) + 30 : Number(h)) } } };
    const r = diagnoseRules(features(early), vehicle(), kb, { baseline });
    expect(r.findings.map((f) => f.code)).toEqual(['0xA001', null]);
  });

  it("an ERROR burst from another node is not folded into a fault's own log rule", () => {
    const overrun: DriveMods = {
      durationS: 240,
      values: { '/planning/cycle': { latency_ms: (t, h) => (t >= 60 && t < 90 && Math.floor(t * 10) % 3 === 0 ? 125 : h) } },
      logs: [
        ...[61, 75].map((t) => ({ t, level: 40, name: 'planner', msg: 'cycle overrun' })),
        ...Array.from({ length: 10 }, (_, i) => ({ t: 62 + 2 * i, level: 40, name: 'bms_monitor', msg: 'contactor feedback mismatch' })),
      ],
    };
    const r = diagnoseRules(features(overrun), vehicle(), kb, { baseline });
    expect(r.findings.map((f) => f.code ?? f.name)).toEqual(['0xE002', 'ERROR burst from bms_monitor: contactor feedback mismatch']);
  });
});

function vehicle(platform = 'J7'): VehicleInfo {
  return { vin: 'LJ8E3C1M5PB000123', platform, firmware: { adcu: '4.6.2' } };
}
