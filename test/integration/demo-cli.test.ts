import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DiagnosisReport } from '@argus/shared';

const run = promisify(execFile);
const ARGUS = path.resolve(import.meta.dirname, '../../cli/bin/argus.mjs');

// The README's first command, as a newcomer runs it (`npm run demo -- --once --json --fault CODE`).
describe('argus demo', () => {
  it('--once --json --fault 0xB001 exits 0 and prints the report the vehicle received as its last line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-demo-'));
    try {
      const { stdout, stderr } = await run(process.execPath, [ARGUS, 'demo', '--once', '--json', '--fault', '0xB001', '--seed', '7'], {
        env: { ...process.env, ARGUS_DEMO_DIR: dir }, timeout: 150_000, maxBuffer: 64 * 1024 * 1024,
      });
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const report = DiagnosisReport.parse(JSON.parse(last));
      expect(report.findings[0]?.code).toBe('0xB001');
      expect(report.status).toBe('fault');
      expect(stderr).toContain('diagnosis received by the vehicle');
      expect(stderr).toContain('0xB001');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown fault code with a clear message and exit 2', async () => {
    const err = (await run(process.execPath, [ARGUS, 'demo', '--once', '--fault', '0xFFFF'], { timeout: 60_000 }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/0xFFFF/);
  });
});
