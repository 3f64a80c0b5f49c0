/**
 * `npm run eval:retrieval`: recall@k and MRR of hybrid retrieval (hard
 * filters + vector + text, RRF) on the labelled query set, with vector-only
 * and text-only baselines (no filters) in the same run. Last line: JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@argus/shared';
import { openDatabase } from '../../db/database.js';
import { loadEmbedder } from '../../embedding/load-embedder.js';
import { KnowledgeService } from '../knowledge-service.js';
import type { RetrievalQuery } from '../retriever.js';
import { labelledQueries, scoreRuns } from './labelled-queries.js';

const KS = [1, 3, 5];
const log = createLogger('warn', {}, (l) => process.stderr.write(l));
const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-eval-retr-'));
const db = await openDatabase({ dataDir: dir, log });
try {
  const embedder = await loadEmbedder(process.env['EMBEDDING_MODEL'] ? { model: process.env['EMBEDDING_MODEL'] } : {}, log);
  const k = new KnowledgeService(db.pool, embedder, log);
  await k.ensureSeeded({ wait: true });
  const queries = labelledQueries(await k.faults.load());
  const variants: Record<string, Partial<RetrievalQuery>> = {
    hybrid: { mode: 'hybrid', filters: true },
    'vector-only': { mode: 'vector', filters: false },
    'text-only': { mode: 'text', filters: false },
    'vector+filters': { mode: 'vector', filters: true },
  };
  const results: Record<string, { recall: Record<string, number>; mrr: number }> = {};
  for (const [name, v] of Object.entries(variants)) {
    const runs: { expected: string; ranked: string[] }[] = [];
    for (const q of queries) {
      const hits = await k.retriever.search({ text: q.text, vehicle: q.vehicle, kinds: ['cause'], k: 10, ...v });
      runs.push({ expected: q.expected, ranked: hits.map((h) => h.passage.id) });
    }
    results[name] = scoreRuns(runs, KS);
    const r = results[name]!;
    process.stdout.write(`${name.padEnd(15)} ${KS.map((x) => `recall@${x} ${r.recall[`@${x}`]!.toFixed(3)}`).join('  ')}  MRR ${r.mrr.toFixed(3)}\n`);
  }
  process.stdout.write(`${JSON.stringify({ queries: queries.length, embedder: embedder.model, results })}\n`);
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
