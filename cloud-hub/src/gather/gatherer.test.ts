import { describe, expect, it } from 'vitest';
import { demoKnowledgeBase } from '../kb/demo-kb.js';
import { DriveFeatures } from './features.js';
import { createGatherer } from './gatherer.js';
import { topicChunks } from './testing/csv-fixture.js';
import { referenceDrive, T0_NS } from './testing/reference-drive.js';
import { watchesFromKb, watchForRule } from './watch-spec.js';

const kb = demoKnowledgeBase();
const watches = watchesFromKb(kb);

function gather(chunks: Map<string, string[]>, order: 'by-topic' | 'interleaved' = 'by-topic'): DriveFeatures {
  const g = createGatherer({ watches });
  if (order === 'by-topic') {
    for (const [topic, list] of chunks) for (const c of list) g.addChunk(topic, c);
  } else {
    const max = Math.max(...[...chunks.values()].map((l) => l.length));
    for (let i = max - 1; i >= 0; i--) for (const [topic, list] of [...chunks].reverse()) {
      const c = list[list.length - 1 - i];
      if (c) g.addChunk(topic, Buffer.from(c));
    }
  }
  return g.finish();
}

const watchOf = (f: DriveFeatures, code: string, role = 'primary') => {
  const rule = kb.faults.find((x) => x.code === code)!.signature.find((r) => r.role === role)!;
  return f.watches[watchForRule(rule).id]!;
};

describe('createGatherer on a healthy reference drive', { timeout: 60_000 }, () => {
  const features = gather(referenceDrive());

  it('produces schema-valid, JSON-serialisable features', () => {
    expect(() => DriveFeatures.parse(JSON.parse(JSON.stringify(features)))).not.toThrow();
  });

  it('measures drive span, topic rates and field statistics', () => {
    expect(features.drive.start_ns).toBe('1760000000000000000');
    expect(features.drive.duration_s).toBeCloseTo(180, 0);
    const imu = features.topics['/imu/data']!;
    expect(imu.count).toBe(18000);
    expect(imu.rate_hz).toBeCloseTo(100, 0);
    expect(imu.median_period_s).toBeCloseTo(0.01, 3);
    const z = imu.fields['linear_acceleration.z']!;
    expect(z.min).toBeGreaterThan(9.4);
    expect(z.max).toBeLessThan(10.2);
    expect(z.p99).toBeGreaterThan(9.9);
    expect(z.p99).toBeLessThanOrEqual(z.max);
    expect(features.topics['/can/stats']!.fields.bus_off!.max).toBe(0);
  });

  it('finds the single lidar hiccup as one gap, not three', () => {
    const lidar = features.topics['/sensors/lidar_front/scan_meta']!;
    expect(lidar.gaps.count).toBe(1);
    expect(lidar.gaps.largest[0]!.start_s).toBeCloseTo(120, 1);
    expect(lidar.gaps.largest[0]!.duration_s).toBeCloseTo(0.6, 1);
    expect(watchOf(features, '0x8004').match_count).toBe(1);
  });

  it('tracks the brief GNSS loss as one 3 s interval', () => {
    const w = watchOf(features, '0x9001');
    expect(w.interval_count).toBe(1);
    expect(w.intervals[0]!.start_s).toBeCloseTo(70, 1);
    expect(w.longest_s).toBeCloseTo(3, 1);
    expect(w.match_count).toBe(30);
  });

  it('summarises diagnostics and rosout', () => {
    const warn = features.diagnostics.find((d) => d.name === 'camera_front')!;
    expect(warn).toMatchObject({ level: 1, message: 'frame drop', code: '0x8011', count: 1, longest_run_s: 0 });
    const gnss = features.diagnostics.find((d) => d.name === 'gnss')!;
    expect(gnss.count).toBe(3);
    expect(gnss.longest_run_s).toBe(2);
    expect(features.rosout.by_level.WARN).toBe(2);
    expect(features.rosout.by_node.planner!.INFO).toBeGreaterThan(20);
    expect(features.rosout.samples.map((s) => s.node)).toEqual(['localization', 'perception']);
  });

  it('keeps bounded series with watched fields first', () => {
    const s = features.series['/compute/stats']!;
    expect(Object.keys(s.fields)[0]).toBe('cpu_temp_c');
    expect(s.t_s.length).toBeGreaterThan(170);
    const imu = features.series['/imu/data']!;
    expect(Object.keys(imu.fields).length).toBeLessThanOrEqual(12);
    expect(Object.keys(imu.fields)).toContain('linear_acceleration.z');
  });

  it('does not depend on how chunks of different topics interleave', () => {
    const other = gather(referenceDrive(), 'interleaved');
    expect(other.watches).toEqual(features.watches);
    expect(other.topics).toEqual(features.topics);
  });
});

describe('watches', { timeout: 60_000 }, () => {
  it('intersects a cross-topic while condition (radar blind while moving)', () => {
    const f = gather(referenceDrive({ values: { '/sensors/radar_front/tracks_meta': { count: (t, h) => (t > 40 && t < 100 ? 0 : h) } } }));
    const w = watchOf(f, '0x8021');
    // Speed dips below 5 m/s around t≈80 (9 + 5·sin(t/17)); the intersection must exclude it.
    expect(w.longest_s).toBeGreaterThan(20);
    expect(w.total_s).toBeLessThan(60);
    expect(w.interval_count).toBeGreaterThanOrEqual(2);
  });

  it('sees a topic that stops for good as a gap to the end of the drive', () => {
    const f = gather(referenceDrive({ drop: { '/vehicle/state': (t) => t > 150 } }));
    const w = watchOf(f, '0xB001', 'consequence');
    expect(w.intervals.at(-1)!.start_s).toBeCloseTo(150, 1);
  });

  it('measures rises of counters and smoothed trends', () => {
    const f = gather(referenceDrive({ values: { '/compute/stats': { gpu_ecc_errors: (t) => 3 + Math.floor(t / 10), mem_used_pct: (t, _h) => (t < 170 ? 40 + t / 5 : 35) } } }));
    expect(watchOf(f, '0xA003').rise!.value).toBe(17);
    const mem = watchOf(f, '0xA004').rise!;
    expect(mem.value).toBeGreaterThan(30);
    expect(mem.to_s).toBeGreaterThan(160);
  });

  it('computes windowed rates', () => {
    const f = gather(referenceDrive({ drop: { '/sensors/camera_front/frame_meta': (t) => t > 60 && t < 90 && Math.floor(t * 30) % 2 === 0 } }));
    const w = watchOf(f, '0x8011');
    expect(w.min_rate_hz).toBeGreaterThan(13);
    expect(w.min_rate_hz).toBeLessThan(17);
    expect(w.longest_s).toBeGreaterThan(25);
    expect(w.longest_s).toBeLessThan(32);
    expect(f.topics['/sensors/camera_front/frame_meta']!.min_rate_hz).toBe(w.min_rate_hz);
  });

  it('tracks entities whose rows interleave unevenly (pt, then chassis 4 ms later, once a second)', () => {
    const g = createGatherer({ watches });
    const header = 'log_time_ns,publish_time_ns,sequence,bus,load_pct,error_frames,bus_off';
    const rows: string[] = [];
    for (let s = 0; s < 180; s++) {
      const pt = T0_NS + BigInt(s) * 1_000_000_000n;
      const ch = pt + 4_000_000n;
      rows.push(`${pt},${pt},${2 * s},pt,${s >= 20 && s < 120 ? 90 : 45},0,false`);
      rows.push(`${ch},${ch},${2 * s + 1},chassis,40,0,false`);
    }
    g.addChunk('/can/stats', `${header}\r\n${rows.join('\r\n')}\r\n`);
    const w = watchOf(g.finish(), '0xB002');
    expect(w.interval_count).toBe(1);
    expect(w.longest_s).toBeCloseTo(100, 0);
  });

  it('tracks conditions per entity when a topic interleaves rows of several (CAN buses)', () => {
    const g = createGatherer({ watches });
    const can = topicChunks({ topic: '/can/stats', hz: 2, fields: ['bus', 'load_pct', 'error_frames', 'bus_off'],
      row: (t, i) => (i % 2 === 0 ? ['pt', t >= 50 && t < 130 ? 91 : 50, 0, false] : ['chassis', 40, 0, false]) }, 180, T0_NS, 100);
    for (const c of can) g.addChunk('/can/stats', c);
    const f = g.finish();
    const w = watchOf(f, '0xB002');
    expect(w.interval_count).toBe(1);
    expect(w.longest_s).toBeCloseTo(80, 0);
    expect(w.match_count).toBe(80);
  });
});

describe('gather memory does not grow with the drive', { timeout: 180_000 }, () => {
  it('keeps the features of an 80-minute drive as large as those of a 40-minute one', () => {
    // Everything the gatherer keeps per drive is capped (series points per field, intervals,
    // log groups, samples, diagnostics entries, p99 sketches) and its output is the state it
    // held. Past 2000 s every series is at its cap, so doubling the drive must not grow it.
    // (The topics above 10 Hz are left out to keep the test quick; the caps are per field.)
    const fast = ['/vehicle/state', '/sensors/camera_front/frame_meta', '/sensors/radar_front/tracks_meta', '/imu/data', '/localization/pose'];
    const drop = Object.fromEntries(fast.map((t) => [t, () => true]));
    const size = (durationS: number) => JSON.stringify(gather(referenceDrive({ durationS, noise: false, drop }))).length;
    const half = size(2400);
    const full = size(4800);
    expect(full).toBeLessThan(half * 1.1);
    expect(full).toBeGreaterThan(half * 0.9);
  });
});
