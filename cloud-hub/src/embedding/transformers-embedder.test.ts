import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from './embedder.js';
import { loadEmbedder } from './load-embedder.js';
import { writeTinyBertModel } from './testing/tiny-bert-onnx.js';
import { TransformersEmbedder } from './transformers-embedder.js';

// The real transformers.js path (tokenizer, ONNX session, mean pooling,
// normalisation) on a tiny random-weight model with the real vocabulary.
describe('TransformersEmbedder on a tiny ONNX BERT', () => {
  let dir: string;
  let folder: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-tiny-bert-'));
    folder = await writeTinyBertModel(dir, 'tiny-minilm', 16);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('embeds a batch into unit vectors of the model width, deterministically', async () => {
    const e = await TransformersEmbedder.load({ model: folder });
    expect(e.dims).toBe(16);
    expect(e.model).toBe(`transformers:${folder}`);
    const texts = ['front lidar packet timeout', 'CAN bus-off on the chassis bus', 'front lidar packet timeout'];
    const vs = await e.embed(texts);
    expect(vs).toHaveLength(3);
    for (const v of vs) {
      expect(v).toHaveLength(16);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    expect(Array.from(vs[0]!)).toEqual(Array.from(vs[2]!));
    expect(cosine(vs[0]!, vs[1]!)).toBeLessThan(0.9999);
    const again = await (await TransformersEmbedder.load({ model: folder })).embed([texts[1]!]);
    expect(Array.from(again[0]!)).toEqual(Array.from(vs[1]!));
  });

  it('pads a batch: a text embeds the same alone and beside a longer one', async () => {
    const e = await TransformersEmbedder.load({ model: folder });
    const [alone] = await e.embed(['gnss fix lost']);
    const [inBatch] = await e.embed(['gnss fix lost', 'a much longer sentence about the planner missing its deadline under load']);
    for (let i = 0; i < 16; i++) expect(inBatch![i]).toBeCloseTo(alone![i]!, 5);
  });

  it('falls back to the hashing embedder, saying so, when the model cannot load', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`WARN ${m}`) };
    const e = await loadEmbedder({ model: path.join(dir, 'no-such-model') }, log);
    expect(e.model).toBe('hashing-v1-384');
    expect(lines.some((l) => l.startsWith('WARN') && l.includes('hashing embedder'))).toBe(true);
  });
});
