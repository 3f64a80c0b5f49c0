import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, DiagnosisReport } from '@argus/shared';
import { randomVin, Rng, writeDrive, type Platform, type UnknownAnomalyRequest } from '@argus/sim';
import { diagnoseRecording, openOfflineKnowledge, type OfflineKnowledge } from '../../cli/src/diagnose-command.js';

// The supervisor on real drives: sim MCAP → native parse → gather → graph with
// hybrid retrieval on PGlite + pgvector and the shipped knowledge bundle.
describe('supervisor diagnosis', () => {
  let dir: string;
  let k: OfflineKnowledge;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-sup-'));
    k = await openOfflineKnowledge({}, createLogger('silent', {}, () => undefined));
  }, 300_000);
  afterAll(async () => {
    await k?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function drive(name: string, o: { platform: Platform; seed: number; faults?: { code: string }[]; firmware?: Record<string, string>; unknownAnomaly?: boolean | UnknownAnomalyRequest }): Promise<string> {
    const file = path.join(dir, `${name}.mcap`);
    await writeDrive({ out: file, seed: o.seed, platform: o.platform, vin: randomVin(Rng.derive(o.seed, 'vin'), o.platform), faults: o.faults ?? [], durationS: 180, ...(o.firmware ? { firmware: o.firmware } : {}), ...(o.unknownAnomaly ? { unknownAnomaly: o.unknownAnomaly } : {}) });
    return file;
  }
  const steps = (r: DiagnosisReport) => r.trace.map((t) => t.step).filter((s) => s.startsWith('supervisor.'));

  it('takes the fast path for a known code with one fitting cause', async () => {
    const r = DiagnosisReport.parse(await diagnoseRecording(await drive('fast', { platform: 'K1', seed: 11, faults: [{ code: '0x8004' }] }), k));
    expect(r.status).toBe('fault');
    expect(r.findings[0]).toMatchObject({ code: '0x8004', cause_id: '0x8004-b', recommended_firmware: { component: 'lidar_front', version: '3.2.1' } });
    expect(steps(r)).toEqual(['supervisor.analyst', 'supervisor.supervisor', 'supervisor.diagnostician', 'supervisor.writer']);
    expect(r.trace.find((t) => t.step === 'supervisor.supervisor')?.detail['routes']).toEqual([expect.objectContaining({ finding: '0x8004', route: 'fast' })]);
    expect(r.engine).toBe('supervisor-v1');
    expect(r.model).toBeUndefined();
  });

  it('retrieves, widens and then says the cause is unknown when no cause fits the firmware', async () => {
    const r = await diagnoseRecording(await drive('nocause', { platform: 'K1', seed: 12, faults: [{ code: '0x8004' }], firmware: { lidar_front: '3.2.1' } }), k);
    const f = r.findings[0]!;
    expect(f.code).toBe('0x8004');
    expect(f.cause_id).toBeNull();
    expect(f.root_cause).toBeNull();
    expect(f.confidence).toBeLessThanOrEqual(0.6);
    expect(steps(r).filter((s) => s === 'supervisor.retrieve')).toHaveLength(2);
    const queries = r.trace.filter((t) => t.step === 'supervisor.retrieve').flatMap((t) => t.detail['queries'] as { round: number; codes: string[] | null }[]);
    expect(queries.map((q) => q.round)).toEqual([1, 2]);
    // Retrieval never offered the J7-only cause, nor the one whose firmware range is passed.
    expect(JSON.stringify(r.trace)).not.toMatch(/cause:0x8004-[ab]/);
    expect(r.summary).toMatch(/cause unknown/);
  });

  it('reports an anomaly no entry describes as unknown, with the nearest entries as evidence only', async () => {
    const r = await diagnoseRecording(await drive('unknown', { platform: 'T2', seed: 13, unknownAnomaly: true }), k);
    expect(r.status).toBe('unknown');
    expect(r.findings.every((f) => f.code === null && f.cause_id === null)).toBe(true);
    expect(r.findings[0]!.evidence.some((e) => e.kind === 'kb' && e.text.startsWith('nearest entry') && typeof e.score === 'number')).toBe(true);
  });

  // Not only the pack temperature: a frozen value, a step, an oscillation, a collapsed rate, an ERROR burst.
  it.each([
    ['stuck_signal', 0, 'J7', /scan_meta count: stuck/],
    ['level_step', 2, 'K1', /can\/stats error_frames/],
    ['oscillation', 2, 'T2', /imu\/data angular_velocity\.x: oscillation/],
    ['rate_collapse', 1, 'J7', /localization\/pose rate collapsed/],
    ['error_burst', 0, 'K1', /ERROR burst from tf/],
  ] as const)('reports a %s (variant %i) on %s as unknown', async (kind, variant, platform, name) => {
    const r = DiagnosisReport.parse(await diagnoseRecording(await drive(`u-${kind}`, { platform, seed: 30 + variant, unknownAnomaly: { kind, variant } }), k));
    expect(r.status).toBe('unknown');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ code: null, cause_id: null, name: expect.stringMatching(name) });
    expect(r.findings[0]!.evidence[0]!.text).toMatch(/healthy|not described by the knowledge base/);
  });

  it('a healthy drive stays healthy', async () => {
    const r = await diagnoseRecording(await drive('healthy', { platform: 'J7', seed: 14 }), k);
    expect(r.status).toBe('healthy');
    expect(r.findings).toEqual([]);
  });

  it('`argus diagnose --json` prints the report as its last stdout line', async () => {
    const file = await drive('cli', { platform: 'J7', seed: 15, faults: [{ code: '0x9001' }] });
    const { stdout } = await promisify(execFile)(process.execPath, [path.resolve('cli/bin/argus.mjs'), 'diagnose', file, '--json'], { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
    const last = stdout.trim().split('\n').pop()!;
    const r = DiagnosisReport.parse(JSON.parse(last));
    expect(r.findings[0]).toMatchObject({ code: '0x9001', cause_id: null });
  }, 300_000);
});
