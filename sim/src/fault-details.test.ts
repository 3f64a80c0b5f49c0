import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimOptionsError, writeDrive } from './index.js';
import { field, readDrive, type DecodedDrive } from './testing/read-drive.js';
import { evaluate, longestRun, SIGNATURES } from './testing/signatures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argus-sim-faults-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fault details', () => {
  let a001: DecodedDrive;
  let start: number;
  beforeAll(async () => {
    const out = join(dir, 'a001-at-40.mcap');
    const r = await writeDrive({ out, seed: 5, faults: [{ code: '0xA001', startS: 40 }] });
    start = r.scenario.faults[0]?.startS ?? NaN;
    a001 = await readDrive(out);
  });

  it('starts a fault at the requested time', () => {
    expect(start).toBe(40);
    const hot = (a001.topics['/compute/stats'] ?? []).filter((m) => m.msg.cpu_temp_c > 95);
    expect(hot[0]?.t).toBeGreaterThan(40);
    expect(hot[0]?.t).toBeLessThan(70);
  });

  it('0xA001: cpu_temp above 95 °C for at least 45 s continuously, planning latency follows', () => {
    const run = longestRun(a001.topics['/compute/stats'] ?? [], (m) => m.msg.cpu_temp_c > 95);
    expect(run).toBeGreaterThanOrEqual(45);
    const stats = a001.topics['/compute/stats'] ?? [];
    const firstHot = stats.find((m) => m.msg.cpu_temp_c > 95)?.t ?? Infinity;
    const slow = (a001.topics['/planning/cycle'] ?? []).filter((m) => m.msg.latency_ms > 100);
    expect(slow.length).toBeGreaterThan(100);
    // Every overrun happens while the CPU is hot (the consequence follows the cause).
    expect(Math.min(...slow.map((m) => m.t))).toBeGreaterThanOrEqual(firstHot - 1.5);
  });

  it('0x8004: at least 3 lidar gaps of 500 ms or more, each with status and log', async () => {
    const out = join(dir, '8004.mcap');
    await writeDrive({ out, seed: 11, faults: [{ code: '0x8004' }] });
    const d = await readDrive(out);
    const scans = d.topics['/sensors/lidar_front/scan_meta'] ?? [];
    const gaps = scans.slice(1).filter((m, i) => m.t - (scans[i]?.t ?? 0) >= 0.5);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    const errors = (d.topics['/diagnostics'] ?? []).filter((m) =>
      m.msg.status.some((s: { name: string; level: number }) => s.name === 'lidar_front' && s.level === 2));
    expect(errors.length).toBeGreaterThanOrEqual(gaps.length);
    const logs = (d.topics['/rosout'] ?? []).filter((m) => m.msg.msg === 'front lidar packet timeout');
    expect(logs.length).toBe(gaps.length);
  });

  it('0xB001: bus off on the chassis bus and /vehicle/state stalls ≥ 300 ms meanwhile', async () => {
    const out = join(dir, 'b001.mcap');
    await writeDrive({ out, seed: 12, faults: [{ code: '0xB001', startS: 60 }] });
    const d = await readDrive(out);
    const off = (d.topics['/can/stats'] ?? []).filter((m) => m.msg.bus_off);
    expect(off.length).toBeGreaterThanOrEqual(2);
    expect(off.every((m) => m.msg.bus === 'chassis')).toBe(true);
    const vs = d.topics['/vehicle/state'] ?? [];
    for (const m of off) {
      const before = vs.filter((v) => v.t <= m.t).at(-1);
      const after = vs.find((v) => v.t > m.t);
      expect((after?.t ?? Infinity) - (before?.t ?? 0)).toBeGreaterThanOrEqual(0.3);
    }
  });

  it('0xD002: steering differs from command by > 5° for ≥ 2 s, eps ERROR with code', async () => {
    const out = join(dir, 'd002.mcap');
    await writeDrive({ out, seed: 13, faults: [{ code: '0xD002' }] });
    const d = await readDrive(out);
    const run = longestRun(d.topics['/vehicle/state'] ?? [], (m) => Math.abs(m.msg.steering_cmd_deg - m.msg.steering_angle_deg) > 5);
    expect(run).toBeGreaterThanOrEqual(4);
    const eps = (d.topics['/diagnostics'] ?? []).flatMap((m) => m.msg.status).filter((s) => s.name === 'eps' && s.level === 2);
    expect(eps.length).toBeGreaterThan(0);
    expect(eps[0].values).toEqual([{ key: 'code', value: '0xD002' }]);
  });

  it('0x9002: z acceleration clipped at exactly ±16 g', async () => {
    const out = join(dir, '9002.mcap');
    await writeDrive({ out, seed: 14, faults: [{ code: '0x9002' }], topics: ['/imu/data'] });
    const d = await readDrive(out);
    const z = (d.topics['/imu/data'] ?? []).map((m) => Number(field(m.msg, 'linear_acceleration.z')));
    const limit = 16 * 9.80665;
    expect(z.filter((v) => Math.abs(Math.abs(v) - limit) < 1e-9).length).toBeGreaterThanOrEqual(100);
    expect(Math.max(...z.map(Math.abs))).toBeLessThanOrEqual(limit);
  });

  it('unknown anomaly: pack temperature climbs to ~70 °C with no status or log naming it', async () => {
    const out = join(dir, 'anomaly.mcap');
    const r = await writeDrive({ out, seed: 15, unknownAnomaly: true, healthyNoise: false });
    expect(r.scenario.unknownAnomaly).toBe(true);
    expect(r.scenario.anomaly?.signal).toBe('/power/battery.pack_temp_c');
    const d = await readDrive(out);
    const temps = (d.topics['/power/battery'] ?? []).map((m) => m.msg.pack_temp_c as number);
    expect(Math.max(...temps)).toBeGreaterThan(65);
    expect(Math.min(...temps)).toBeLessThan(35);
    const nonOk = (d.topics['/diagnostics'] ?? []).flatMap((m) => m.msg.status).filter((s) => s.level !== 0);
    expect(nonOk).toEqual([]);
    for (const [code, items] of Object.entries(SIGNATURES)) {
      expect.soft(evaluate(d, items[0] ?? items[0]!).met, code).toBe(false);
    }
  });

  it('rejects faults that do not occur on the platform, unknown codes and bad start times', async () => {
    await expect(writeDrive({ out: join(dir, 'x.mcap'), platform: 'T2', faults: [{ code: '0xC002' }] })).rejects.toThrow(SimOptionsError);
    await expect(writeDrive({ out: join(dir, 'x.mcap'), faults: [{ code: '0x1234' }] })).rejects.toThrow(/unknown fault/);
    await expect(writeDrive({ out: join(dir, 'x.mcap'), durationS: 60, faults: [{ code: '0xA001', startS: 90 }] })).rejects.toThrow(/outside/);
  });

  it('accepts codes in any case', async () => {
    const r = await writeDrive({ out: join(dir, 'case.mcap'), durationS: 60, faults: [{ code: 'a003' }], topics: ['/compute/stats'] });
    expect(r.scenario.faults[0]?.code).toBe('0xA003');
  });
});
