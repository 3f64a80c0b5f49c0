// The parser's row-writing pool under ThreadSanitizer: a simulated drive
// (zstd and uncompressed chunks) and the public rosbag2 recordings are parsed
// on 1 and on 3 threads by native/test/thread-check.cc, built over the
// core's sources with -fsanitize=thread. Any data race halts the run; any
// difference in CSV, counts or problems is a mismatch.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';
import { randomVin, Rng, writeDrive } from '@argus/sim';

import { sharedPath } from '../../native/lib/shared-data.js';

const script = fileURLToPath(new URL('../../native/test/run-core-check.sh', import.meta.url));
let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('parser threads under ThreadSanitizer', () => {
  it('1 and 3 threads give the same CSV, counts and problems, with no data race', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-threads-'));
    const files: string[] = [];
    for (const compression of ['zstd', 'none'] as const) {
      const out = path.join(dir, `drive-${compression}.mcap`);
      await writeDrive({ out, seed: 31, durationS: 40, platform: 'K1', vin: randomVin(Rng.derive(31, 'vin'), 'K1'), faults: [{ code: '0xA001', startS: 5 }], compression });
      files.push(out);
    }
    const publicDir = sharedPath('recordings-public');
    for (const f of await readdir(publicDir)) if (f.endsWith('.mcap')) files.push(path.join(publicDir, f));
    const out = execFileSync('sh', [script, 'thread-check', ...files], { encoding: 'utf8' });
    expect(out).toMatch(new RegExp(`^${files.length} files, \\d+ CSV lines, 0 mismatches between 1 and 3 threads`, 'm'));
    const lines = Number(/(\d+) CSV lines/.exec(out)![1]);
    expect(lines).toBeGreaterThan(20_000);  // two 40 s drives: ≈ 23k rows
  }, 300_000);
});
