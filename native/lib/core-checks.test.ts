// The C++ core's own exactness checks, built against the static library that
// `npm run build -w native` leaves behind: the CRC-32 (carry-less-multiply
// path vs slicing-by-8) and the float cell formatter (vs std::to_chars on ~6M
// doubles). Both print a line and exit non-zero on any mismatch.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../test/run-core-check.sh', import.meta.url));
const run = (check: string): string => execFileSync('sh', [script, check], { encoding: 'utf8' });

describe('core exactness checks', () => {
  it('CRC-32: the PCLMULQDQ fold equals slicing-by-8 on every length and alignment', () => {
    expect(run('crc32-check')).toMatch(/^check cbf43926 \(cbf43926\) bad 0 of \d+/m);
  }, 120_000);

  it('float cells round-trip exactly and match std::to_chars', () => {
    expect(run('float-format-check')).toMatch(/^\d+ doubles checked, 0 mismatches/m);
  }, 300_000);
});
