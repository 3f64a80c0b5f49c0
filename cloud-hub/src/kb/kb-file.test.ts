import { describe, expect, it } from 'vitest';
import { KbError } from './load-kb.js';
import { parseFrontMatter, parseKbFile } from './kb-file.js';
import { chunkText, derivePassages } from './passages.js';
import { demoKnowledgeBase } from './demo-kb.js';
import { demoBundle } from './demo-bundle.js';

describe('KB files', () => {
  it('reads Markdown with front matter as one document', () => {
    const b = parseKbFile('a.md', '---\nid: sb-1\nkind: bulletin\ntitle: "Lidar: update"\nplatforms: [K1, T2]\nfault_codes: [0x8004]\n---\nUpdate the lidar.\n');
    expect(b.documents).toEqual([{ id: 'sb-1', kind: 'bulletin', title: 'Lidar: update', platforms: ['K1', 'T2'], fault_codes: ['0x8004'], cause_ids: [], body: 'Update the lidar.' }]);
    expect(parseFrontMatter('no front matter').meta).toEqual({});
  });
  it('names the file and every bad field', () => {
    try {
      parseKbFile('bad.md', '---\nid: has space\nkind: memo\n---\n');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(KbError);
      expect((err as KbError).message).toMatch(/^bad\.md: 4 problem/);
    }
    expect(() => parseKbFile('x.json', '{')).toThrow(/x\.json: .*not JSON/);
    expect(() => parseKbFile('kb.json', JSON.stringify({ faults: [{ ...demoKnowledgeBase().faults[0], signature: [] }] }))).toThrow(KbError);
  });
  it('reads a bundle, a single document and a single case from JSON', () => {
    expect(parseKbFile('k.json', JSON.stringify({ faults: demoKnowledgeBase().faults })).faults).toHaveLength(20);
    expect(parseKbFile('c.json', JSON.stringify({ id: 'c1', vin: 'V', platform: 'J7', fault_code: '0x8004', cause_id: null, summary: 's', confirmed_by: 'me' })).cases).toHaveLength(1);
  });
  it('ships a demo bundle with documents, cases and links', async () => {
    const b = await demoBundle();
    expect(b.faults).toHaveLength(20);
    expect(b.documents.length).toBeGreaterThanOrEqual(5);
    expect(b.cases.length).toBeGreaterThanOrEqual(4);
    const causeIds = new Set(b.faults.flatMap((f) => f.causes.map((c) => c.id)));
    for (const d of b.documents) for (const c of d.cause_ids) expect(causeIds.has(c)).toBe(true);
  });
});

describe('passages', () => {
  it('chunks long text on boundaries with overlap and keeps short text whole', () => {
    expect(chunkText('short')).toEqual(['short']);
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something about lidar timeouts.`).join(' ');
    const chunks = chunkText(long, 300, 60);
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(450);
    expect(chunks.join(' ')).toContain('Sentence number 39');
  });
  it('derives one passage per fault and cause', () => {
    const p = derivePassages(demoKnowledgeBase().faults, [], []);
    expect(p.filter((x) => x.source_kind === 'fault')).toHaveLength(20);
    expect(p.find((x) => x.id === 'cause:0x8004-b')).toMatchObject({ platforms: ['K1', 'T2'], cause_ids: ['0x8004-b'], fault_codes: ['0x8004'] });
  });
});
