import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, demoKnowledgeBase } from '@argus/cloud-hub';
import { FAULT_CODES, FAULT_PLATFORMS, randomVin, Rng, writeDrive, type Platform } from '@argus/sim';
import { gatherRecording } from '../../cli/src/diagnose-command.js';

// Every catalogue fault on every platform it occurs on, through the real path
// minus the network: simulator MCAP → native parser CSV → gather → rule diagnosis
// with the shipped healthy baseline. The first finding must be the injected
// fault (root first), and no unknown anomaly may stand beside it.
describe('every catalogue fault is diagnosed as the first finding', () => {
  let dir: string;
  const kb = demoKnowledgeBase();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-cat-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function diagnose(code: string | null, platform: Platform, seed: number) {
    const file = path.join(dir, `${code ?? 'healthy'}-${platform}-${seed}.mcap`);
    const vin = randomVin(Rng.derive(seed, 'vin'), platform);
    await writeDrive({ out: file, seed, platform, vin, faults: code ? [{ code }] : [], durationS: 180 });
    const { vehicle, features } = await gatherRecording(file, kb);
    await rm(file);
    return buildReport('00000000-0000-4000-8000-000000000000', vehicle, features, kb, { now: () => 0, iso: '2026-01-01T00:00:00.000Z' });
  }

  let seed = 100;
  for (const code of FAULT_CODES) {
    for (const platform of FAULT_PLATFORMS[code] ?? []) {
      const s = seed++;
      it(`${code} on ${platform} (seed ${s})`, async () => {
        const r = await diagnose(code, platform, s);
        expect(r.status).toBe('fault');
        expect(r.findings[0]?.code).toBe(code);
        // Its side effects (a slower perception under throttling, a less certain pose without GNSS) stay with it, never as unknown findings.
        expect(r.findings.filter((f) => f.code === null).map((f) => f.name)).toEqual([]);
      });
    }
  }

  // Root before consequence: the 12 V sag comes first; the compute brown-out it
  // causes (planning, perception and localization silent) is its consequence.
  it('reports the compute brown-out as a consequence of 0xC001, not a finding of its own', async () => {
    const r = await diagnose('0xC001', 'K1', 77);
    expect(r.findings.map((f) => f.code)).toEqual(['0xC001']);
    const consequences = r.findings[0]!.consequences.join(' ');
    for (const topic of ['/planning/cycle', '/perception/summary', '/localization/pose']) expect(consequences).toContain(topic);
  });

  for (const platform of ['J7', 'K1', 'T2'] as const) {
    for (const s of [1, 2]) {
      it(`a healthy drive on ${platform} (seed ${s}) has no findings`, async () => {
        const r = await diagnose(null, platform, 900 + s);
        expect(r.findings).toEqual([]);
        expect(r.status).toBe('healthy');
      });
    }
  }
});
