import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Vitest global setup: every test run gets its own temporary root, set as
 * TMPDIR before the test processes start (they and whatever they spawn inherit
 * it, and `os.tmpdir()` reads it), and removed when the run ends. Tests make
 * their scratch directories with `mkdtemp(os.tmpdir() …)` and need not each
 * remove them; a run leaves nothing behind in the machine's /tmp.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'argus-test-run-'));
  const before = process.env['TMPDIR'];
  process.env['TMPDIR'] = root;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
