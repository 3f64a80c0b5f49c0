import { describe, expect, it } from 'vitest';
import { cosine } from './embedder.js';
import { HashingEmbedder, words } from './hashing-embedder.js';

describe('HashingEmbedder', () => {
  const e = new HashingEmbedder();
  it('gives deterministic unit vectors of 384 dims', async () => {
    const [a, b] = await e.embed(['Front lidar falls silent', 'Front lidar falls silent']);
    expect(a).toHaveLength(384);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });
  it('puts paraphrases closer than unrelated text', () => {
    const q = e.embedOne('the front lidar stopped sending scans');
    const near = e.embedOne('front lidar scans stop arriving, packet timeout');
    const far = e.embedOne('battery pack temperature rising during charging');
    expect(cosine(q, near)).toBeGreaterThan(cosine(q, far));
  });
  it('keeps codes and versions as single words', () => {
    expect(words('Code 0x8004 on fw 3.2.1, the_node')).toEqual(['code', '0x8004', 'fw', '3.2.1', 'the_node']);
  });
  it('embeds empty text as the zero vector', () => {
    expect(Math.hypot(...e.embedOne(''))).toBe(0);
  });
});
