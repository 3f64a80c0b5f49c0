/**
 * Test support: writes one drive per fault code and checks that the drive shows
 * that fault's whole signature and no other fault's primary signal. Split over
 * several test files so vitest runs the matrix in parallel.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CODES, FAULT_PLATFORMS } from '../faults/index.js';
import { writeDrive } from '../write-drive.js';
import { readDrive } from './read-drive.js';
import { evaluate, SIGNATURES } from './signatures.js';

/**
 * Signatures another fault legitimately produces as a consequence: a hot CPU
 * makes planning overrun (0xA001's catalogue entry names that consequence).
 */
const EXPECTED_OVERLAP: Record<string, string[]> = { '0xA001': ['0xE002'] };

/** Registers the signature test of every fault code whose first hex digit is in `families`. */
export function faultMatrix(families: string): void {
  const codes = FAULT_CODES.filter((c) => families.includes(c.charAt(2)));
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'argus-sim-matrix-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('each fault shows its signature, and only its own', () => {
    it.each(codes.map((c) => [c]))('%s', async (code) => {
      const platform = FAULT_PLATFORMS[code]?.[0] ?? 'J7';
      const out = join(dir, `${code}.mcap`);
      const r = await writeDrive({ out, seed: 1000 + FAULT_CODES.indexOf(code), platform, faults: [{ code }] });
      expect(r.scenario.faults).toHaveLength(1);
      expect(r.scenario.faults[0]?.code).toBe(code);
      const drive = await readDrive(out);
      for (const item of SIGNATURES[code] ?? []) {
        const { met, measure } = evaluate(drive, item);
        expect.soft(met, `${code} ${item.topic} ${item.kind} ${item.field ?? item.name ?? item.text ?? ''} measured ${measure}`).toBe(true);
        // Clear margin over duration and count thresholds.
        const need = item.min_duration_s ?? (item.kind === 'status' || item.kind === 'log' ? undefined : item.min_count);
        if (need !== undefined) expect.soft(measure, `${code} ${item.kind} margin`).toBeGreaterThanOrEqual(need * 1.4);
      }
      for (const [other, items] of Object.entries(SIGNATURES)) {
        if (other === code || EXPECTED_OVERLAP[code]?.includes(other)) continue;
        const primary = items[0];
        if (!primary) continue;
        const { met, measure } = evaluate(drive, primary);
        expect.soft(met, `${code} drive also shows ${other}'s primary signal (${measure})`).toBe(false);
      }
    });
  });
}
