import { it } from 'vitest';
import { demoKnowledgeBase } from '../kb/demo-kb.js';
import { createGatherer } from './gatherer.js';
import { referenceDrive } from './testing/reference-drive.js';
import { watchesFromKb } from './watch-spec.js';
it('perf', () => {
  let t = performance.now();
  const drive = referenceDrive({ durationS: 1200 });
  let bytes = 0; let rows = 0;
  for (const [, c] of drive) for (const x of c) { bytes += x.length; rows += x.split('\n').length; }
  console.log('gen ms', performance.now() - t, 'MB', bytes / 1e6, 'rows', rows);
  const g = createGatherer({ watches: watchesFromKb(demoKnowledgeBase()) });
  t = performance.now();
  const per: Record<string, number> = {};
  for (const [topic, c] of drive) { const s = performance.now(); for (const x of c) g.addChunk(topic, x); per[topic] = Math.round(performance.now() - s); }
  const f = g.finish();
  console.log('gather ms', performance.now() - t, per, 'json', JSON.stringify(f).length);
});
