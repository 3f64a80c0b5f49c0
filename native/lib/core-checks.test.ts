// The C++ core's own exactness checks, built against the static library that
// `npm run build -w native` leaves behind: the CRC-32 (carry-less-multiply
// path vs slicing-by-8), the float cell formatter (vs std::to_chars on ~6M
// doubles), CDR rows by plan (vs decode + flatten) and JSON rows written
// straight from the text (vs parse + flatten), on real and simulated
// recordings and damaged variants of their messages. Each prints a line and
// exits non-zero on any mismatch.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';
import { randomVin, Rng, writeDrive } from '@argus/sim';

import { sharedPath } from './shared-data.js';

const script = fileURLToPath(new URL('../test/run-core-check.sh', import.meta.url));
const run = (check: string, ...files: string[]): string => execFileSync('sh', [script, check, ...files], { encoding: 'utf8' });

describe('core exactness checks', () => {
  it('CRC-32: the PCLMULQDQ fold equals slicing-by-8 on every length and alignment', () => {
    expect(run('crc32-check')).toMatch(/^check cbf43926 \(cbf43926\) bad 0 of \d+/m);
  }, 120_000);

  it('float cells round-trip exactly and match std::to_chars', () => {
    expect(run('float-format-check')).toMatch(/^\d+ doubles checked, 0 mismatches/m);
  }, 300_000);

  it('CDR rows written by a plan equal decode + flatten, cell for cell and error for error', async () => {
    const out = run('cdr-row-check', ...(await recordings()));
    const m = /^(\d+) messages, (\d+) rows compared, 0 mismatches between plan and decode \+ flatten/m.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(4000); // 20 s of the simulated drive alone is ≈ 4.6k CDR messages
    expect(Number(m![2])).toBeGreaterThan(Number(m![1])); // damaged copies were compared too
  }, 300_000);

  it('JSON rows written straight from the text equal the parsed and flattened rows, or are left to them', async () => {
    const out = run('json-row-check', ...(await recordings()));
    const m = /^(\d+) messages, (\d+) rows compared \((\d+) written directly, (\d+) declined\), 0 mismatches/m.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(1500); // the simulated drive's JSON topics
    expect(Number(m![3])).toBeGreaterThan(Number(m![1]) * 0.9); // its messages take the direct path
    expect(Number(m![4])).toBeGreaterThan(100); // the variants it must decline
  }, 300_000);
});

/** A 20 s simulated drive (CDR, JSON and protobuf topics) and the public rosbag2 recordings; made once. */
let made: Promise<string[]> | undefined;
let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});
function recordings(): Promise<string[]> {
  made ??= (async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-row-checks-'));
    const drive = path.join(dir, 'drive.mcap');
    await writeDrive({ out: drive, seed: 47, durationS: 20, platform: 'J7', vin: randomVin(Rng.derive(47, 'vin'), 'J7'), faults: [{ code: '0xA001', startS: 5 }], compression: 'zstd' });
    const publicDir = sharedPath('recordings-public');
    return [drive, ...(await readdir(publicDir)).filter((f) => f.endsWith('.mcap')).map((f) => path.join(publicDir, f))];
  })();
  return made;
}
