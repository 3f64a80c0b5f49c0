import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { judgeRecording } from './detect.js';
import { planEviction } from './eviction.js';
import { uploadEta } from './status.js';
import { TokenBucket } from './token-bucket.js';
import { pickTransport } from './transport-rule.js';

describe('backoffDelay', () => {
  const o = { minMs: 1000, maxMs: 60_000 };
  it('doubles per attempt within [cap/2, cap] and stops at the ceiling', () => {
    expect(backoffDelay(1, 0, o)).toBe(500);
    expect(backoffDelay(1, 0.999999, o)).toBe(1000);
    expect(backoffDelay(3, 0.5, o)).toBe(3000);
    expect(backoffDelay(10, 0, o)).toBe(30_000);
    expect(backoffDelay(1000, 0.999999, o)).toBe(60_000);
  });
  it('spreads a fleet: different random draws give different delays', () => {
    const ds = new Set([0.1, 0.3, 0.6, 0.9].map((r) => backoffDelay(4, r, o)));
    expect(ds.size).toBe(4);
  });
});

describe('TokenBucket', () => {
  it('lets one second of rate through, then makes the caller wait bytes/rate', () => {
    const b = new TokenBucket(1000, 0);
    expect(b.take(1000, 0)).toBe(0);
    expect(b.take(500, 0)).toBe(500);
    expect(b.take(500, 1000)).toBe(0);
    expect(b.take(1000, 1000)).toBe(1000);
  });
  it('over a long run never exceeds the rate', () => {
    const b = new TokenBucket(10_000, 0);
    let t = 0;
    for (let i = 0; i < 100; i++) t += b.take(1000, t);
    // 100 kB at 10 kB/s with a 10 kB burst: at least 9 s
    expect(t).toBeGreaterThanOrEqual(9000);
  });
  it('0 = unlimited', () => {
    expect(new TokenBucket(0, 0).take(1e9, 0)).toBe(0);
  });
});

describe('judgeRecording (drive detection rule)', () => {
  const rule = { mode: 'stable' as const, stableSeconds: 30 };
  const obs = (over: Partial<{ size: number; mtimeMs: number; marker: boolean }> = {}) => ({ name: 'a.mcap', size: 100, mtimeMs: 1_000_000, marker: false, ...over });
  it('takes a file once size and mtime stayed the same for N seconds', () => {
    const a = judgeRecording(obs(), undefined, 1_000_000 + 1000, rule);
    expect(a.ready).toBe(false);
    const b = judgeRecording(obs(), a.memo, 1_000_000 + 20_000, rule);
    expect(b.ready).toBe(false);
    const c = judgeRecording(obs(), b.memo, 1_000_000 + 31_000, rule);
    expect(c.ready).toBe(true);
  });
  it('restarts the clock when the file grows', () => {
    const a = judgeRecording(obs(), undefined, 1_000_000, rule);
    const b = judgeRecording(obs({ size: 200, mtimeMs: 1_025_000 }), a.memo, 1_025_000, rule);
    const c = judgeRecording(obs({ size: 200, mtimeMs: 1_025_000 }), b.memo, 1_040_000, rule);
    expect(c.ready).toBe(false);
    expect(judgeRecording(obs({ size: 200, mtimeMs: 1_025_000 }), c.memo, 1_056_000, rule).ready).toBe(true);
  });
  it('takes at once a file that appeared while the agent was down (old mtime)', () => {
    expect(judgeRecording(obs(), undefined, 1_000_000 + 3_600_000, rule).ready).toBe(true);
  });
  it('never takes an empty file; marker mode needs the marker', () => {
    expect(judgeRecording(obs({ size: 0 }), undefined, 9e9, rule).ready).toBe(false);
    expect(judgeRecording(obs(), undefined, 9e9, { mode: 'marker', stableSeconds: 30 }).ready).toBe(false);
    expect(judgeRecording(obs({ marker: true }), undefined, 1_000_000, { mode: 'marker', stableSeconds: 30 }).ready).toBe(true);
    expect(judgeRecording(obs({ marker: true }), undefined, 1_000_000, { mode: 'either', stableSeconds: 30 }).ready).toBe(true);
  });
});

describe('planEviction', () => {
  const b = (batchId: string, seq: number, sealed: boolean, sizes: number[]) => ({ batchId, seq, sealed, files: sizes.map((bytes, i) => ({ fileId: `t${i}`, bytes })) });
  it('drops the largest streams of the oldest unsealed batch first', () => {
    const r = planEviction([b('new', 2, false, [50, 10]), b('old', 1, false, [30, 70, 5])], 100);
    expect(r.plan.map((p) => `${p.batchId}/${p.fileId}`)).toEqual(['old/t1']);
    expect(r.fits).toBe(true);
  });
  it('never touches a sealed batch and keeps at least one stream per batch', () => {
    const r = planEviction([b('sent', 0, true, [500]), b('x', 1, false, [40, 30])], 100);
    expect(r.plan.map((p) => p.fileId)).toEqual(['t0']);
    expect(r.fits).toBe(false);
  });
  it('does nothing under quota', () => {
    expect(planEviction([b('x', 1, false, [40, 30])], 100)).toEqual({ plan: [], fits: true });
  });
});

describe('pickTransport (MQTT → HTTP switch rule)', () => {
  it('prefers MQTT, waits while it is briefly down, then uses HTTP', () => {
    expect(pickTransport({ mqttConnected: true, downSinceMs: null, nowMs: 0, fallbackAfterMs: 30_000 })).toBe('mqtt');
    expect(pickTransport({ mqttConnected: false, downSinceMs: 0, nowMs: 29_999, fallbackAfterMs: 30_000 })).toBe('wait');
    expect(pickTransport({ mqttConnected: false, downSinceMs: 0, nowMs: 30_000, fallbackAfterMs: 30_000 })).toBe('http');
    expect(pickTransport({ mqttConnected: false, downSinceMs: 0, nowMs: 1e9, fallbackAfterMs: 0 })).toBe('wait');
  });
});

describe('uploadEta', () => {
  it('derives rate and ETA from what was sent', () => {
    const r = uploadEta({ bytes_sent: 10_000, chunks_sent: 10, chunks_total: 30, started_at: 0 }, 10_000);
    expect(r.rate).toBe(1000);
    expect(r.etaS).toBe(20);
    expect(uploadEta({ bytes_sent: 0, chunks_sent: 0, chunks_total: 30, started_at: 0 }, 10_000).etaS).toBeNull();
  });
});
