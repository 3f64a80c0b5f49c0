/**
 * Guards the simulator's encoded catalogue facts against the fleet catalogue,
 * when the repository checkout has it next door (the product never reads it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULTS } from './index.js';
import { SIGNATURES } from './testing/signatures.js';

const path = fileURLToPath(new URL('../../../shared/fleet/fault-catalogue.json', import.meta.url));
const present = existsSync(path);

interface CatalogueFault {
  code: string;
  name: string;
  platforms: string[];
  signature: Record<string, unknown>[];
}

describe.skipIf(!present)('fleet fault catalogue (../shared)', () => {
  const catalogue = present ? (JSON.parse(readFileSync(path, 'utf8')) as { faults: CatalogueFault[] }) : { faults: [] };

  it('lists the same codes, names and platforms the simulator injects', () => {
    expect(FAULTS.map((f) => ({ code: f.code, name: f.name, platforms: [...f.platforms] }))).toEqual(
      catalogue.faults.map((f) => ({ code: f.code, name: f.name, platforms: f.platforms })),
    );
  });

  it('has the signatures the tests evaluate (thresholds identical)', () => {
    const strip = (items: Record<string, unknown>[]) => items.map(({ note, ...rest }) => ({ ...rest, note: note !== undefined }));
    for (const f of catalogue.faults) {
      expect(strip((SIGNATURES[f.code] ?? []) as unknown as Record<string, unknown>[]), f.code).toEqual(strip(f.signature));
    }
  });
});
