import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRMWARE_COMPONENTS, REFERENCE_TOPICS, vinCheckDigit, writeDrive, type WriteDriveResult } from './index.js';
import { readDrive, type DecodedDrive } from './testing/read-drive.js';
import { evaluate, longestRun, SIGNATURES } from './testing/signatures.js';

const MCAP_MAGIC = Buffer.from([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argus-sim-drive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a healthy 180 s drive', () => {
  let result: WriteDriveResult;
  let drive: DecodedDrive;
  beforeAll(async () => {
    result = await writeDrive({ out: join(dir, 'healthy.mcap'), seed: 1 });
    drive = await readDrive(result.path);
  });

  it('is a complete, indexed, zstd-chunked MCAP with the ros2 profile', async () => {
    expect(drive.complete).toBe(true);
    expect(drive.header?.profile).toBe('ros2');
    expect(drive.chunkCompressions).toEqual(new Set(['zstd']));
    expect(drive.recordCounts.MessageIndex).toBeGreaterThan(0);
    expect(drive.recordCounts.ChunkIndex).toBe(drive.recordCounts.Chunk);
    expect(drive.recordCounts.SummaryOffset).toBeGreaterThan(0);
    expect(drive.statistics?.messageCount).toBe(BigInt(result.messages));
    expect((await stat(result.path)).size).toBe(result.bytes);
  });

  it('records every reference topic at about its nominal rate', () => {
    expect(drive.channels.map((c) => c.topic).sort()).toEqual(REFERENCE_TOPICS.map((s) => s.topic).sort());
    for (const spec of REFERENCE_TOPICS) {
      const n = drive.counts[spec.topic] ?? 0;
      if (spec.rateHz === null) {
        expect(n, spec.topic).toBeGreaterThan(10);
        continue;
      }
      const perTick = spec.topic === '/can/stats' ? 2 : 1; // one message per bus
      const expected = spec.rateHz * 180 * perTick;
      expect(n, spec.topic).toBeGreaterThan(expected * 0.97);
      expect(n, spec.topic).toBeLessThanOrEqual(expected + perTick);
    }
    expect(result.messages).toBeGreaterThan(40_000);
  });

  it('writes schemas with the right encodings', () => {
    const byTopic = new Map(drive.channels.map((c) => [c.topic, c]));
    for (const spec of REFERENCE_TOPICS) {
      const ch = byTopic.get(spec.topic);
      const schema = drive.schemas.find((s) => s.id === ch?.schemaId);
      expect(ch?.messageEncoding).toBe(spec.messageEncoding);
      expect(schema?.name).toBe(spec.schemaName);
      expect(schema?.encoding).toBe(spec.schemaEncoding);
    }
  });

  it('describes the vehicle in a `vehicle` metadata record', () => {
    const md = drive.metadata.find((m) => m.name === 'vehicle')?.metadata;
    expect(md).toBeDefined();
    const vin = md?.get('vin') ?? '';
    expect(vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
    expect(vin[8]).toBe(vinCheckDigit(vin));
    expect(md?.get('platform')).toBe('J7');
    expect(md?.get('vehicle_id')).toMatch(/^robotaxi-\d{3}$/);
    expect(md?.get('drive_id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(md?.get('started_at') ?? '').toISOString()).toBe(md?.get('started_at'));
    for (const c of FIRMWARE_COMPONENTS) expect(md?.get(`fw.${c}`), c).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('writes messages in log-time order with publish = log time and per-channel sequences', () => {
    const all = Object.values(drive.topics).flat();
    for (const list of Object.values(drive.topics)) {
      list.forEach((m, i) => {
        expect(m.sequence).toBe(i + 1);
        expect(m.publishTime).toBe(m.logTime);
      });
    }
    expect(all.length).toBe(result.messages);
  });

  it('looks like a drive: moves, stops, brakes only with the pedal, steering tracks the command', () => {
    const vs = drive.topics['/vehicle/state'] ?? [];
    const speeds = vs.map((m) => m.msg.speed_mps as number);
    expect(Math.max(...speeds)).toBeGreaterThan(8);
    expect(speeds.filter((v) => v === 0).length).toBeGreaterThan(100);
    for (const m of vs) {
      if (!m.msg.brake_pedal) expect(m.msg.brake_pressure_bar).toBeLessThan(0.5);
      expect(Math.abs(m.msg.steering_cmd_deg - m.msg.steering_angle_deg)).toBeLessThan(1.5);
      for (const w of ['fl', 'fr', 'rl', 'rr']) expect(Math.abs(m.msg[`wheel_speed_${w}_mps`] - m.msg.speed_mps)).toBeLessThan(1);
    }
    const z = (drive.topics['/imu/data'] ?? []).map((m) => m.msg.linear_acceleration.z as number);
    expect(z.reduce((a, b) => a + b, 0) / z.length).toBeCloseTo(9.81, 1);
  });

  it('keeps every signal inside its nominal band', () => {
    const values = (topic: string, f: string): number[] => (drive.topics[topic] ?? []).map((m) => m.msg[f] as number);
    const within = (xs: number[], lo: number, hi: number): void => {
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...xs)).toBeLessThanOrEqual(hi);
    };
    within(values('/power/battery', 'lv_voltage_v'), 13.6, 14.4);
    within(values('/power/battery', 'cell_delta_mv'), 0, 30);
    within(values('/compute/stats', 'cpu_temp_c'), 55, 75);
    within(values('/compute/stats', 'cpu_load_pct'), 0, 90);
    within(values('/planning/cycle', 'latency_ms'), 30, 80);
    within(values('/perception/summary', 'latency_ms'), 20, 45);
    within(values('/localization/pose', 'cov_trace'), 0, 0.5);
    within(values('/can/stats', 'load_pct'), 30, 60);
    within(values('/can/stats', 'error_frames'), 0, 5);
    within(values('/network/stats', 'loss_pct'), 0, 0.5);
    within(values('/time_sync/status', 'ptp_offset_ns').map(Math.abs), 0, 50_000);
    expect((drive.topics['/time_sync/status'] ?? []).every((m) => m.msg.locked === true)).toBe(true);
    const gnss = (drive.topics['/gnss/fix'] ?? []).map((m) => m.msg.status.status as number);
    expect(new Set(gnss)).toEqual(new Set([-1, 0, 2])); // -1 only under the bridge
    within(values('/sensors/lidar_front/scan_meta', 'count'), 110_000, 130_000);
  });

  it('has healthy noise that never reaches a fault threshold', () => {
    const noFix = longestRun(drive.topics['/gnss/fix'] ?? [], (m) => m.msg.status.status === -1);
    expect(noFix).toBeGreaterThan(0.5);
    expect(noFix).toBeLessThan(5);
    const spike = (drive.topics['/compute/stats'] ?? []).map((m) => m.msg.cpu_load_pct as number);
    expect(Math.max(...spike)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...spike)).toBeLessThan(90);
    // Non-OK statuses are single WARNs that clear within 2 s.
    const diag = drive.topics['/diagnostics'] ?? [];
    const names = new Set(diag.flatMap((m) => m.msg.status.filter((s: { level: number }) => s.level !== 0).map((s: { name: string }) => s.name)));
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) {
      const run = longestRun(diag, (m) => m.msg.status.some((s: { name: string; level: number }) => s.name === name && s.level !== 0));
      expect(run, name).toBeLessThanOrEqual(1.5);
    }
    for (const m of diag) {
      for (const s of m.msg.status) {
        expect(s.level).toBeLessThanOrEqual(1);
        expect(s.values.some((kv: { key: string }) => kv.key === 'code')).toBe(s.level !== 0);
      }
    }
    const logs = drive.topics['/rosout'] ?? [];
    expect(logs.some((m) => m.msg.level === 30)).toBe(true);
    expect(logs.every((m) => m.msg.level <= 30)).toBe(true);
  });

  it('meets no fault signature (primary signal, ERROR status or log line)', () => {
    for (const [code, items] of Object.entries(SIGNATURES)) {
      for (const item of items) {
        if (item.kind === 'status' && item.level === 'WARN') continue; // transient WARNs are healthy noise
        const { met, measure } = evaluate(drive, item);
        expect.soft(met, `${code} ${item.kind} ${item.field ?? item.name ?? item.text ?? ''}: ${measure}`).toBe(false);
      }
    }
  });
});

describe('healthy drives on every platform', () => {
  it.each([
    ['J7', 2, 180],
    ['K1', 3, 240],
    ['T2', 4, 300],
  ] as const)('%s (seed %i, %i s) shows no fault signature', async (platform, seed, durationS) => {
    const r = await writeDrive({ out: join(dir, `healthy-${platform}.mcap`), seed, platform, durationS });
    const d = await readDrive(r.path);
    expect(d.metadata[0]?.metadata.get('platform')).toBe(platform);
    for (const [code, items] of Object.entries(SIGNATURES)) {
      const primary = items[0];
      if (!primary) continue;
      const { met, measure } = evaluate(d, primary);
      expect.soft(met, `${code}: ${measure}`).toBe(false);
    }
    expect(longestRun(d.topics['/gnss/fix'] ?? [], (m) => m.msg.status.status === -1)).toBeLessThan(5);
    expect(Math.max(...(d.topics['/compute/stats'] ?? []).map((m) => m.msg.cpu_temp_c))).toBeLessThanOrEqual(95);
  });
});

describe('file variants', () => {
  it('same seed gives identical bytes; another seed does not', async () => {
    const opts = { seed: 77, durationS: 60, faults: [{ code: '0x8004' }], unknownAnomaly: true };
    const a = await writeDrive({ ...opts, out: join(dir, 'same-a.mcap') });
    const b = await writeDrive({ ...opts, out: join(dir, 'same-b.mcap') });
    const c = await writeDrive({ ...opts, seed: 78, out: join(dir, 'other.mcap') });
    const [ba, bb, bc] = await Promise.all([a, b, c].map((r) => readFile(r.path)));
    expect(ba?.equals(bb as Buffer)).toBe(true);
    expect(ba?.equals(bc as Buffer)).toBe(false);
    expect(a.scenario).toEqual(b.scenario);
  });

  it.each(['zstd', 'lz4', 'none'] as const)('%s compression reads back with all messages', async (compression) => {
    const r = await writeDrive({ out: join(dir, `c-${compression}.mcap`), seed: 9, durationS: 30, compression, chunkSize: 256 * 1024 });
    const d = await readDrive(r.path);
    expect(d.complete).toBe(true);
    expect(d.chunkCompressions).toEqual(new Set([compression === 'none' ? '' : compression]));
    expect(d.recordCounts.Chunk).toBeGreaterThan(1);
    expect(Object.values(d.counts).reduce((a, b) => a + b, 0)).toBe(r.messages);
  });

  it('lz4 chunks are LZ4 frames', async () => {
    const r = await writeDrive({ out: join(dir, 'lz4-frame.mcap'), seed: 9, durationS: 10, compression: 'lz4' });
    const bytes = await readFile(r.path);
    expect(bytes.includes(Buffer.from([0x04, 0x22, 0x4d, 0x18]))).toBe(true);
  });

  it('summary: false leaves no summary section but stays readable', async () => {
    const r = await writeDrive({ out: join(dir, 'nosummary.mcap'), seed: 9, durationS: 30, summary: false });
    const d = await readDrive(r.path);
    expect(d.complete).toBe(true);
    expect(d.statistics).toBeUndefined();
    expect(d.recordCounts.ChunkIndex ?? 0).toBe(0);
    expect(d.recordCounts.SummaryOffset ?? 0).toBe(0);
    expect(Object.values(d.counts).reduce((a, b) => a + b, 0)).toBe(r.messages);
    // Footer record (opcode 0x02, length, summary_start, summary_offset_start, crc) before the
    // closing magic: summary_start = 0 means "no summary section" (MCAP spec, Footer).
    const bytes = await readFile(r.path);
    const footer = bytes.subarray(bytes.length - 8 - 29, bytes.length - 8);
    expect(footer[0]).toBe(0x02);
    expect(footer.readBigUInt64LE(9)).toBe(0n);
  });

  it('chunked: false writes messages outside chunks', async () => {
    const r = await writeDrive({ out: join(dir, 'unchunked.mcap'), seed: 9, durationS: 20, chunked: false });
    const d = await readDrive(r.path);
    expect(d.complete).toBe(true);
    expect(d.recordCounts.Chunk ?? 0).toBe(0);
    expect(d.recordCounts.Message).toBe(r.messages);
  });

  it('truncateAt cuts the file like a power cut', async () => {
    const r = await writeDrive({ out: join(dir, 'cut.mcap'), seed: 9, durationS: 120, truncateAt: 1_000_000 });
    const full = await writeDrive({ out: join(dir, 'uncut.mcap'), seed: 9, durationS: 120 });
    const bytes = await readFile(r.path);
    expect(r.truncated).toBe(true);
    expect(bytes.length).toBe(1_000_000);
    expect(bytes.length).toBeLessThan(full.bytes);
    expect(bytes.subarray(0, 8).equals(MCAP_MAGIC)).toBe(true);
    expect(bytes.subarray(bytes.length - 8).equals(MCAP_MAGIC)).toBe(false);
    // The leading part is byte-identical to the complete file.
    expect(bytes.equals((await readFile(full.path)).subarray(0, 1_000_000))).toBe(true);
  });

  it('records only the requested topics', async () => {
    const r = await writeDrive({ out: join(dir, 'subset.mcap'), seed: 9, durationS: 20, topics: ['/imu/data', '/diagnostics'] });
    const d = await readDrive(r.path);
    expect(d.channels.map((c) => c.topic).sort()).toEqual(['/diagnostics', '/imu/data']);
  });

  it('applies platform, firmware overrides and identity options', async () => {
    const r = await writeDrive({
      out: join(dir, 'ident.mcap'), seed: 9, durationS: 10, platform: 'K1', firmware: { adcu: '4.5.1' },
      vin: 'WK1SH7A25RB000042', vehicleId: 'shuttle-007', startTime: new Date('2025-03-04T05:06:07Z'),
    });
    const d = await readDrive(r.path);
    const md = d.metadata[0]?.metadata;
    expect(md?.get('fw.adcu')).toBe('4.5.1');
    expect(md?.get('fw.lidar_front')).toBe(r.scenario.firmware.lidar_front);
    expect(md?.get('vin')).toBe('WK1SH7A25RB000042');
    expect(md?.get('vehicle_id')).toBe('shuttle-007');
    expect(md?.get('started_at')).toBe('2025-03-04T05:06:07.000Z');
    expect(d.topics['/imu/data']?.[0]?.logTime).toBeGreaterThanOrEqual(BigInt(Date.parse('2025-03-04T05:06:07Z')) * 1_000_000n);
    await expect(writeDrive({ out: join(dir, 'bad.mcap'), firmware: { flux: '1.0.0' } as never })).rejects.toThrow(/unknown firmware/);
    await expect(writeDrive({ out: join(dir, 'bad.mcap'), vin: 'IOQ12345678901234' })).rejects.toThrow(/vin must be/);
  });
});
