import { readFileSync } from 'node:fs';
import { sharedPath } from '@argus/native/shared-data';
import { describe, expect, it } from 'vitest';
import { demoKnowledgeBase } from './demo-kb.js';
import { KbError, loadKb, validateKb } from './load-kb.js';

// The fleet's fault catalogue lives beside the repository (shared fleet docs); missing, the test fails rather than passes.
interface CatalogueFault {
  code: string; name: string; subsystem: string; severity: string; platforms: string[]; symptoms: string;
  signature: Record<string, unknown>[];
  causes: { id: string; platforms: string[]; firmware_component: string; affected_versions: string; root_cause: string; resolution: string; recommended_firmware?: unknown }[];
}
const catalogue: { faults: CatalogueFault[] } = JSON.parse(readFileSync(sharedPath('fleet', 'fault-catalogue.json'), 'utf8'));

describe('the demo knowledge base', () => {
  const kb = demoKnowledgeBase();

  it('validates and covers every catalogue fault', () => {
    expect(kb.faults).toHaveLength(20);
    expect(kb.faults.map((f) => f.code)).toEqual(catalogue.faults.map((f) => f.code));
  });

  it('keeps codes, names, platforms, causes, ranges, firmware and signature facts exact', () => {
    for (const cf of catalogue.faults) {
      const f = kb.faults.find((x) => x.code === cf.code)!;
      expect({ name: f.name, subsystem: f.subsystem, severity: f.severity, platforms: f.platforms }).toEqual({ name: cf.name, subsystem: cf.subsystem, severity: cf.severity, platforms: cf.platforms });
      expect(f.causes.map((c) => ({ id: c.id, platforms: c.platforms, firmware_component: c.firmware_component, affected_versions: c.affected_versions, recommended_firmware: c.recommended_firmware })))
        .toEqual(cf.causes.map((c) => ({ id: c.id, platforms: c.platforms, firmware_component: c.firmware_component, affected_versions: c.affected_versions, recommended_firmware: c.recommended_firmware ?? null })));
      const strip = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'role' && k !== 'note'));
      // Every catalogue rule, in order; the KB may know more, but only as consequences
      // (e.g. the compute brown-out that follows a 12 V sag).
      expect(f.signature.slice(0, cf.signature.length).map((r) => strip(r))).toEqual(cf.signature.map((r) => strip(r)));
      for (const extra of f.signature.slice(cf.signature.length)) expect(extra.role).toBe('consequence');
      // The first catalogue rule is the data signature; consequences are the ones the catalogue marks so.
      expect(f.signature[0]!.role).toBe('primary');
      cf.signature.forEach((r, i) => {
        const note = typeof r.note === 'string' ? r.note : '';
        expect(f.signature[i]!.role === 'consequence').toBe(note.startsWith('consequence'));
      });
    }
  });

  it('rephrases the texts rather than copying them', () => {
    for (const cf of catalogue.faults) {
      const f = kb.faults.find((x) => x.code === cf.code)!;
      expect(f.symptoms).not.toBe(cf.symptoms);
      cf.causes.forEach((c, i) => {
        expect(f.causes[i]!.root_cause).not.toBe(c.root_cause);
        expect(f.causes[i]!.resolution).not.toBe(c.resolution);
      });
    }
  });
});

describe('validateKb', () => {
  it('lists every bad field of a bad KB', () => {
    const bad = {
      version: 1,
      faults: [
        {
          code: '0x1',
          name: 'A',
          subsystem: 's',
          severity: 'catastrophic',
          platforms: ['J7'],
          symptoms: '',
          signature: [
            { role: 'supporting', topic: '/a', kind: 'gap', min_gap_ms: -5 },
            { role: 'primary', topic: '/b', kind: 'wobbly' },
          ],
          causes: [{ id: 'c1', platforms: ['J7', 'Z9'], firmware_component: 'x', affected_versions: 'latest', root_cause: 'r', resolution: 'r', recommended_firmware: null }],
        },
        {
          code: '0x1',
          name: 'B',
          subsystem: 's',
          severity: 'minor',
          platforms: ['J7'],
          symptoms: 'x',
          signature: [{ role: 'supporting', topic: '/a', kind: 'value_above', field: 'f', value: 1, while: { topic: '/c', field: 'g', above: 1, below: 2 } }],
          causes: [{ id: 'c1', platforms: ['J7'], firmware_component: 'x', affected_versions: '*', root_cause: 'r', resolution: 'r' }],
        },
      ],
    };
    const r = validateKb(bad);
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'faults.0.severity',
        'faults.0.symptoms',
        'faults.0.signature.0.min_gap_ms',
        'faults.0.signature.1.kind',
        'faults.0.causes.0.affected_versions',
        'faults.0.causes.0.platforms.1',
        'faults.1.code',
        'faults.1.signature',
        'faults.1.signature.0.while',
        'faults.1.causes.0.recommended_firmware',
        'faults.1.causes.0.id',
      ]),
    );
    expect(() => loadKb(bad, 'bad.json')).toThrow(KbError);
    try {
      loadKb(bad, 'bad.json');
    } catch (e) {
      expect((e as KbError).code).toBe('BAD_KB');
      expect((e as KbError).message).toMatch(/^bad\.json: \d+ problem/);
      expect((e as KbError).message).toContain('faults.0.causes.0.affected_versions');
    }
  });

  it('rejects a non-object', () => {
    const r = validateKb('nope');
    expect(r.ok).toBe(false);
  });
});
