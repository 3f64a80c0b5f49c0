import type { VehicleInfo } from '@argus/shared';
import { Finding } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { createGatherer } from '../gather/gatherer.js';
import { referenceDrive, type DriveMods } from '../gather/testing/reference-drive.js';
import { watchesFromKb } from '../gather/watch-spec.js';
import { demoKnowledgeBase } from '../kb/demo-kb.js';
import { diagnoseRules } from './diagnose-rules.js';

const kb = demoKnowledgeBase();
const watches = watchesFromKb(kb);
const FW = { adcu: '4.6.2', lidar_front: '3.3.0', camera_front: '2.4.2', radar_front: '1.0.0', gnss: '5.1.3', imu: '2.0.0', vcu: '7.2.1', bms: '3.0.1', eps: '6.2.0', ebs: '2.1.0', gateway: '1.9.2' };

function vehicle(platform = 'J7', firmware: Record<string, string> = {}): VehicleInfo {
  return { vin: 'LJ8E3C1M5PB000123', platform, firmware: { ...FW, ...firmware } };
}

function features(mods: DriveMods = {}) {
  const g = createGatherer({ watches });
  for (const [topic, chunks] of referenceDrive(mods)) for (const c of chunks) g.addChunk(topic, c);
  return g.finish();
}

function diagnose(mods: DriveMods, v: VehicleInfo = vehicle()) {
  return diagnoseRules(features(mods), v, kb);
}

const between = (a: number, b: number) => (t: number) => t >= a && t < b;

/** CPU overheats from t≈65 s; planning overruns follow from t=70 s. */
const thermal: DriveMods = {
  values: {
    '/compute/stats': { cpu_temp_c: (t, h) => (t < 40 ? h : Math.min(99, 66 + (t - 40) * 1.2)) },
    '/planning/cycle': { latency_ms: (t, h) => (t >= 70 ? 130 + 20 * Math.sin(t) : h) },
  },
  statuses: (t) => (t >= 66 ? [{ level: 2, name: 'adcu_thermal', message: 'cpu throttling', code: '0xA001' }] : []),
  logs: [70.5, 80.5, 95.5].map((t) => ({ t, level: 40, name: 'planner', msg: 'cycle overrun: 131 ms' })),
};

/** Planning overruns with a cool CPU. */
const overrun: DriveMods = {
  values: { '/planning/cycle': { latency_ms: (t, h) => (t >= 60 && t < 90 && Math.floor(t * 10) % 3 === 0 ? 125 : h) } },
  logs: [61, 75].map((t) => ({ t, level: 40, name: 'planner', msg: 'cycle overrun' })),
};

/** Front lidar goes silent 4 times. */
const lidarTimeout: DriveMods = {
  drop: { '/sensors/lidar_front/scan_meta': (t) => [30, 55, 90, 140].some((s) => t > s && t < s + 0.9) },
  statuses: (t) => ([30, 55, 90, 140].includes(Math.floor(t)) ? [{ level: 2, name: 'lidar_front', message: 'no data received', code: '0x8004' }] : []),
  logs: [30.6, 55.6, 90.6].map((t) => ({ t, level: 40, name: 'lidar_driver', msg: 'front lidar packet timeout' })),
};

/** Chassis CAN goes bus-off at t=90 s for 5 s; vehicle state stalls. */
const busOff: DriveMods = {
  values: { '/can/stats': { bus_off: (t) => t >= 90 && t < 95, error_frames: (t) => (t >= 88 && t < 95 ? 400 : 0) } },
  drop: { '/vehicle/state': between(90.2, 91.4) },
  statuses: (t) => (t >= 90 && t < 95 ? [{ level: 2, name: 'can_gateway', message: 'bus off', code: '0xB001' }] : []),
};

/** Steering lags the command by 8° from t=100 s for 10 s. */
const steering: DriveMods = {
  values: { '/vehicle/state': { steering_angle_deg: (t, h) => (t >= 100 && t < 110 ? (h as number) - 8 : h) } },
  statuses: (t) => (t >= 101 && t < 110 ? [{ level: 2, name: 'eps', message: 'steering tracking error', code: '0xD002' }] : []),
};

describe('diagnoseRules', { timeout: 60_000 }, () => {
  it('calls a healthy drive with healthy noise healthy', () => {
    const r = diagnose({});
    expect(r.findings).toEqual([]);
    expect(r.status).toBe('healthy');
    expect(r.summary).toMatch(/^Healthy/);
    expect(r.trace.map((s) => s.step)).toEqual(['evaluate-signatures', 'select-causes', 'detect-anomalies', 'link-consequences', 'order-findings']);
  });

  it('reports 0xA001 first and lists the planner overrun as its consequence', () => {
    const r = diagnose(thermal);
    expect(r.status).toBe('fault');
    const [top, ...rest] = r.findings;
    expect(top).toMatchObject({ code: '0xA001', cause_id: '0xA001-a', consequences: ['0xE002'] });
    expect(rest.map((f) => f.code)).not.toContain('0xE002');
    expect(top!.evidence.some((e) => e.kind === 'status' && e.text.includes('cpu throttling'))).toBe(true);
    expect(top!.evidence.find((e) => e.text.startsWith('explains 0xE002'))!.t_start_s).toBeCloseTo(70, 0);
    expect(() => Finding.parse(top)).not.toThrow();
    expect(r.summary).toContain('0xA001');
  });

  it('picks the T2 fan-curve cause of 0xA001 only below adcu 4.6.0', () => {
    expect(diagnose(thermal, vehicle('T2', { adcu: '4.5.9' })).findings[0]).toMatchObject({ code: '0xA001', cause_id: '0xA001-b', recommended_firmware: { component: 'adcu', version: '4.6.2' } });
    const none = diagnose(thermal, vehicle('T2', { adcu: '4.6.2' })).findings[0]!;
    expect(none).toMatchObject({ code: '0xA001', cause_id: null, root_cause: null });
    expect(none.evidence.some((e) => e.kind === 'kb' && e.text.includes('cause unknown'))).toBe(true);
  });

  it('does not link overruns that began before the temperature rose', () => {
    const early: DriveMods = { ...thermal, values: { ...thermal.values, '/planning/cycle': { latency_ms: (t, h) => (t >= 20 ? 130 : h) } } };
    const codes = diagnose(early).findings.map((f) => f.code);
    expect(codes).toContain('0xA001');
    expect(codes).toContain('0xE002');
  });

  it('diagnoses 0xE002 with the cause for adcu 4.7.0, and no cause for 4.6.2', () => {
    expect(diagnose(overrun, vehicle('J7', { adcu: '4.7.0' })).findings[0]).toMatchObject({ code: '0xE002', cause_id: '0xE002-a', recommended_firmware: { component: 'adcu', version: '4.7.1' } });
    const r = diagnose(overrun, vehicle('J7', { adcu: '4.6.2' }));
    expect(r.status).toBe('fault');
    expect(r.findings[0]).toMatchObject({ code: '0xE002', cause_id: null, root_cause: null, resolution: null });
  });

  it('picks the 0x8004 cause by platform and lidar firmware', () => {
    expect(diagnose(lidarTimeout, vehicle('J7', { lidar_front: '3.1.4' })).findings[0]).toMatchObject({ code: '0x8004', cause_id: '0x8004-a' });
    const k1 = diagnose(lidarTimeout, vehicle('K1', { lidar_front: '3.1.4' })).findings[0]!;
    expect(k1).toMatchObject({ code: '0x8004', cause_id: '0x8004-b', recommended_firmware: { component: 'lidar_front', version: '3.2.1' } });
    expect(k1.evidence.some((e) => e.kind === 'log' && e.text.includes('packet timeout'))).toBe(true);
    expect(k1.evidence.some((e) => e.kind === 'signal' && e.t_start_s !== undefined)).toBe(true);
    const fixed = diagnose(lidarTimeout, vehicle('K1', { lidar_front: '3.3.0' })).findings[0]!;
    expect(fixed).toMatchObject({ code: '0x8004', cause_id: null });
    expect(fixed.confidence).toBeLessThan(k1.confidence);
  });

  it('diagnoses 0xB001 and explains the vehicle-state stall', () => {
    const r = diagnose(busOff, vehicle('J7'));
    const top = r.findings[0]!;
    expect(top).toMatchObject({ code: '0xB001', cause_id: '0xB001-a' });
    expect(top.evidence.some((e) => e.text.startsWith('consequence:') && e.topic === '/vehicle/state')).toBe(true);
    expect(r.findings).toHaveLength(1);
    expect(diagnose(busOff, vehicle('T2', { gateway: '1.8.4' })).findings[0]).toMatchObject({ code: '0xB001', cause_id: '0xB001-b' });
  });

  it('picks the 0xD002 cause by EPS firmware', () => {
    expect(diagnose(steering, vehicle('J7', { eps: '6.0.5' })).findings[0]).toMatchObject({ code: '0xD002', cause_id: '0xD002-a' });
    expect(diagnose(steering, vehicle('J7', { eps: '6.2.0' })).findings[0]).toMatchObject({ code: '0xD002', cause_id: '0xD002-b' });
  });

  it('needs 30 s of GNSS no-fix for 0x9001', () => {
    const r = diagnose({ values: { '/gnss/fix': { 'status.status': (t, h) => (t >= 100 && t < 140 ? -1 : h) } } }, vehicle('K1', { gnss: '5.0.2' }));
    expect(r.findings[0]).toMatchObject({ code: '0x9001', cause_id: '0x9001-a' });
    expect(diagnose({ values: { '/gnss/fix': { 'status.status': (t, h) => (t >= 100 && t < 120 ? -1 : h) } } }).status).toBe('healthy');
  });

  it('diagnoses camera frame drops, IMU saturation, brake drift, wheel-speed loss', () => {
    const cam = diagnose({ drop: { '/sensors/camera_front/frame_meta': (t) => t > 60 && t < 90 && Math.floor(t * 30) % 2 === 0 } }, vehicle('J7', { camera_front: '2.3.9' }));
    expect(cam.findings[0]).toMatchObject({ code: '0x8011', cause_id: '0x8011-a' });
    const imu = diagnose({ values: { '/imu/data': { 'linear_acceleration.z': (t, h) => (t >= 50 && t < 51 ? (Math.floor(t * 100) % 2 ? 156.9 : -156.9) : h) } } });
    expect(imu.findings[0]).toMatchObject({ code: '0x9002', cause_id: '0x9002-a' });
    const brake = diagnose({ values: { '/vehicle/state': { brake_pressure_bar: (t, h) => (t >= 120 && t < 135 ? 7 : h) } } });
    expect(brake.findings[0]).toMatchObject({ code: '0xD001', cause_id: '0xD001-a' });
    const wheel = diagnose({ values: { '/vehicle/state': { wheel_speed_rl_mps: (t, h) => (t >= 10 && t < 20 ? 0 : h) } } });
    expect(wheel.findings[0]).toMatchObject({ code: '0xD003', cause_id: '0xD003-a' });
  });

  it('diagnoses a memory leak only on the leaking compute software', () => {
    const leak: DriveMods = { values: { '/compute/stats': { mem_used_pct: (t, _h) => (t < 170 ? 40 + t / 4 : 30) } }, logs: [{ t: 170, level: 50, name: 'perception', msg: 'killed: out of memory' }] };
    expect(diagnose(leak, vehicle('J7', { adcu: '4.5.2' })).findings[0]).toMatchObject({ code: '0xA004', cause_id: '0xA004-a' });
    expect(diagnose(leak, vehicle('J7', { adcu: '4.5.4' })).findings[0]).toMatchObject({ code: '0xA004', cause_id: null });
  });

  it('skips faults not made for the platform', () => {
    const cells: DriveMods = { values: { '/power/battery': { cell_delta_mv: (t, h) => (t > 50 ? 95 : h) } } };
    expect(diagnose(cells, vehicle('K1', { bms: '2.9.0' })).findings[0]).toMatchObject({ code: '0xC002', cause_id: '0xC002-a' });
    expect(diagnose(cells, vehicle('T2', { bms: '2.9.0' })).status).toBe('healthy');
  });

  it('reports a strong anomaly no KB entry describes as unknown', () => {
    const r = diagnose({ drop: { '/perception/summary': between(60, 75) } });
    expect(r.status).toBe('unknown');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ code: null, cause_id: null });
    expect(r.findings[0]!.name).toContain('/perception/summary');
    expect(r.findings[0]!.confidence).toBeLessThan(0.5);
  });

  it('times each trace step with the clock passed in', () => {
    let t = 0;
    const r = diagnoseRules(features(lidarTimeout), vehicle(), kb, { now: () => (t += 5) });
    expect(r.trace.every((s) => s.ms === 5)).toBe(true);
  });
});
