import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReport, vehicleToken, type BatchStatusEvent } from '@argus/shared';
import { parseAgentConfig, processDrive } from '@argus/edge-agent';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { userHeaders } from '../support/user-auth.js';

// One drive carried from the vehicle to a diagnosis and back, on the embedded
// default, with real parts: sim MCAP → native parser → gzip chunks → aedes over
// TCP → filesystem store + PGlite → barrier → gather → rule diagnosis → MQTT back.
describe('one drive end to end (embedded default)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.stop());

  const cases = [
    { code: '0xA001', platform: 'T2' as const, cause: '0xA001-b', seed: 11, fw: { adcu: '4.5.9' } },
    { code: '0x8004', platform: 'J7' as const, cause: '0x8004-a', seed: 12, fw: {} },
    { code: '0xB001', platform: 'K1' as const, cause: '0xB001-a', seed: 13, fw: {} },
  ];

  for (const c of cases) {
    it(`diagnoses ${c.code} on ${c.platform} and pushes the report back to the vehicle`, async () => {
      const work = await mkdtemp(path.join(os.tmpdir(), 'argus-e2e-'));
      const vin = randomVin(Rng.derive(c.seed, 'vin'), c.platform);
      const file = path.join(work, 'drive.mcap');
      await writeDrive({ out: file, seed: c.seed, platform: c.platform, vin, firmware: c.fw, faults: [{ code: c.code }], durationS: 150 });
      const cfg = parseAgentConfig({ token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, stateDir: path.join(work, 'agent'), chunkBytes: 256 * 1024 });
      const states: string[] = [];
      const out = await processDrive(file, cfg, t.log, { waitForDiagnosisMs: 90_000, onStatus: (s) => states.push((s as BatchStatusEvent).state) });
      expect(out.kind).toBe('uploaded');
      if (out.kind !== 'uploaded') return;
      const report = DiagnosisReport.parse(out.report);
      expect(report.status).toBe('fault');
      expect(report.findings[0]?.code).toBe(c.code);
      expect(report.findings[0]?.cause_id).toBe(c.cause);
      expect(report.vin).toBe(vin);

      // The outbox is empty: every chunk left only after the hub acknowledged it.
      expect(await readdir(path.join(out.batch.dir, 'chunks'))).toEqual([]);
      // The vehicle stored what it received, and the hub serves the same report.
      const res = await fetch(`${t.hub.httpUrl}/api/v1/batches/${report.batch_id}/diagnosis`, { headers: await userHeaders(t.hub) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(report);
      // The barrier fired once; the ledger holds exactly the manifest's chunks.
      const events = await t.hub.batches.events(report.batch_id);
      expect(events.filter((e) => e.state === 'uploaded')).toHaveLength(1);
      expect(events.map((e) => e.state)).toEqual(['uploading', 'uploaded', 'gathering', 'gathered', 'diagnosing', 'diagnosed']);
      const ledger = await t.hub.batches.chunks(report.batch_id);
      expect(ledger.length).toBe(out.batch.manifest.files.reduce((n, f) => n + f.chunk_count, 0));
      expect(states).toContain('diagnosed');
    });
  }

  it('the hub pipeline gives the same report as `argus diagnose --json` for the same drive', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'argus-e2e-'));
    const vin = randomVin(Rng.derive(31, 'vin'), 'K1');
    const file = path.join(work, 'drive.mcap');
    // Two faults: a cascade on the fast path, and one whose cause no entry fits on this firmware (retrieval, twice).
    await writeDrive({ out: file, seed: 31, platform: 'K1', vin, firmware: { lidar_front: '3.2.1' }, faults: [{ code: '0x8004' }, { code: '0xB001' }], durationS: 180 });
    const cfg = parseAgentConfig({ token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, stateDir: path.join(work, 'agent'), chunkBytes: 256 * 1024 });
    const [out, cli] = await Promise.all([
      processDrive(file, cfg, t.log, { waitForDiagnosisMs: 180_000 }),
      promisify(execFile)(process.execPath, [path.resolve('cli/bin/argus.mjs'), 'diagnose', file, '--json'], { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }),
    ]);
    if (out.kind !== 'uploaded') throw new Error('not uploaded');
    const hub = DiagnosisReport.parse(out.report);
    const offline = DiagnosisReport.parse(JSON.parse(cli.stdout.trim().split('\n').pop()!));
    expect(hub.findings.map((f) => [f.code, f.cause_id])).toEqual([['0xB001', '0xB001-a'], ['0x8004', null]]);
    expect(hub.findings[0]!.consequences.length).toBeGreaterThan(0);
    expect(hub.trace.filter((s) => s.step === 'supervisor.retrieve')).toHaveLength(2);
    expect(sameReportView(hub)).toEqual(sameReportView(offline));
  }, 300_000);

  it('a drive uploaded again maps to the same batch and is not analysed twice', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'argus-e2e-'));
    const vin = randomVin(Rng.derive(21, 'vin'), 'J7');
    const file = path.join(work, 'drive.mcap');
    await writeDrive({ out: file, seed: 21, platform: 'J7', vin, faults: [{ code: '0xC001' }], durationS: 120 });
    const cfg = parseAgentConfig({ token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, stateDir: path.join(work, 'agent') });
    const first = await processDrive(file, cfg, t.log, { waitForDiagnosisMs: 90_000 });
    const second = await processDrive(file, cfg, t.log, { waitForDiagnosisMs: 90_000 });
    if (first.kind !== 'uploaded' || second.kind !== 'uploaded') throw new Error('not uploaded');
    expect(second.batch.batchId).toBe(first.batch.batchId);
    expect(second.report?.report_id).toBe(first.report?.report_id);
    const events = await t.hub.batches.events(first.batch.batchId);
    expect(events.filter((e) => e.state === 'uploaded')).toHaveLength(1);
    expect(events.filter((e) => e.state === 'diagnosed')).toHaveLength(1);
  });
});

/** What must agree between two diagnoses of one drive: all but ids, time stamps and step timings. */
function sameReportView(r: DiagnosisReport) {
  return {
    vin: r.vin, platform: r.platform, status: r.status, summary: r.summary, engine: r.engine,
    findings: r.findings,
    trace: r.trace.map((s) => ({ step: s.step, detail: s.detail })), // retrieval queries, hits and scores included
  };
}
