import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@argus/shared';
import { openDatabase, type Database } from '../db/database.js';
import { HashingEmbedder } from '../embedding/hashing-embedder.js';
import { EmbeddingIndexer } from '../embedding/embedding-indexer.js';
import { KnowledgeService } from './knowledge-service.js';
import { PgHybridRetriever } from './pg-hybrid-retriever.js';
import { RETRIEVAL_SQL, toVectorLiteral } from './pg-retrieval-queries.js';

// Hybrid retrieval on PGlite + pgvector with the shipped demo bundle.
describe('hybrid retrieval', () => {
  let db: Database;
  let dir: string;
  let k: KnowledgeService;
  const log = createLogger('silent', {}, () => undefined);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-retr-'));
    db = await openDatabase({ dataDir: dir, log });
    k = new KnowledgeService(db.pool, new HashingEmbedder(), log);
    await k.ensureSeeded({ wait: true });
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('embeds every passage with the model id and builds the HNSW index', async () => {
    const r = await db.pool.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE embedding_model = 'hashing-v1-384')::int AS e FROM kb_passages`);
    expect(r.rows[0].n).toBeGreaterThan(40);
    expect(r.rows[0].e).toBe(r.rows[0].n);
    const idx = await db.pool.query(`SELECT indexname FROM pg_indexes WHERE indexname = 'kb_passages_embedding_hnsw'`);
    expect(idx.rowCount).toBe(1);
  });

  it('never returns a cause of another platform or firmware; every hit says why', async () => {
    const hits = await k.retriever.search({ text: 'front lidar packet timeout, scans silent', vehicle: { platform: 'K1', firmware: { lidar_front: '3.1.4' } }, k: 10 });
    expect(hits.length).toBeGreaterThan(0);
    const causes = hits.flatMap((h) => h.passage.cause_ids);
    expect(causes).toContain('0x8004-b');
    expect(causes).not.toContain('0x8004-a');
    expect(hits.every((h) => h.passage.platforms.length === 0 || h.passage.platforms.includes('K1'))).toBe(true);
    expect(hits[0]!.why.join(' ')).toMatch(/rank/);
    expect(hits[0]!.scores.rrf).toBeGreaterThan(0);
    const newer = await k.retriever.search({ text: 'front lidar packet timeout', vehicle: { platform: 'K1', firmware: { lidar_front: '3.2.1' } }, codes: ['0x8004'], kinds: ['cause'] });
    expect(newer).toEqual([]);
  });

  it('a new embedding model re-embeds every passage and searches only its own vectors', async () => {
    const h = new HashingEmbedder();
    const other = { model: 'hashing-other', dims: 384, embed: (t: string[]) => h.embed(t.map((x) => x.toUpperCase())) };
    const n = (await db.pool.query('SELECT count(*)::int AS n FROM kb_passages')).rows[0].n;
    expect(await new EmbeddingIndexer(db.pool, other, log).runAll()).toBe(n);
    const v = await new PgHybridRetriever(db.pool, other).search({ text: 'front lidar', mode: 'vector', k: 3 });
    expect(v.length).toBe(3);
    expect(await k.retriever.search({ text: 'front lidar', mode: 'vector', k: 3 })).toEqual([]);
    expect(await k.indexer.runAll()).toBe(n);
    expect(() => new EmbeddingIndexer(db.pool, { ...other, dims: 16 }, log)).toThrow(/384/);
  });

  it('vector mode keeps the code and firmware filters', async () => {
    const hits = await k.retriever.search({ text: 'battery', vehicle: { platform: 'T2', firmware: { gnss: '5.0.0' } }, codes: ['0x9001'], mode: 'vector', k: 5 });
    expect(hits.map((h) => h.passage.id)).toContain('cause:0x9001-b');
    expect(hits.every((h) => h.passage.fault_codes.includes('0x9001'))).toBe(true);
  });

  it('text-only and vector-only modes rank by their own signal', async () => {
    const t = await k.retriever.search({ text: 'GNSS no fix open sky', mode: 'text', k: 3 });
    expect(t[0]!.scores.text).toBeGreaterThan(0);
    expect(t[0]!.scores.vector).toBeUndefined();
    const v = await k.retriever.search({ text: 'GNSS no fix open sky', mode: 'vector', k: 3 });
    expect(v[0]!.scores.vector).toBeGreaterThan(0);
  });

  it('changing a document re-embeds only its passages; export returns what was imported', async () => {
    await k.importBundle({ faults: [], cases: [], links: [], documents: [{ id: 'note-x', kind: 'note', title: 'Wipers', platforms: [], fault_codes: ['0x8021'], cause_ids: [], body: 'Radar blocked by snow in winter.' }] }, { wait: true });
    const r = await k.importBundle({ faults: [], cases: [], links: [], documents: [{ id: 'note-x', kind: 'note', title: 'Wipers', platforms: [], fault_codes: ['0x8021'], cause_ids: [], body: 'Radar blocked by mud.' }] });
    expect(r.changed_passages).toBe(1);
    await k.indexer.kick();
    const pending = await db.pool.query(`SELECT count(*)::int AS n FROM kb_passages WHERE embedding IS NULL`);
    expect(pending.rows[0].n).toBe(0);
    const b = await k.exportBundle();
    expect(b.faults).toHaveLength(20);
    expect(b.documents.find((d) => d.id === 'note-x')?.body).toBe('Radar blocked by mud.');
    expect(b.cases.length).toBeGreaterThan(0);
    expect(b.links.length).toBeGreaterThan(0);
  });
});

// A filter that keeps a handful of rows far from the query, on a table many
// times larger than hnsw.ef_search, with the planner made to use the HNSW
// index: a plain HNSW scan hands back its ef_search nearest rows, the filter
// drops them all, and the result is empty. Only the iterative scan
// (pg-retrieval-queries.ts) keeps walking the graph until the filtered rows
// turn up.
describe('iterative HNSW scan under a selective filter', () => {
  const FILLERS = 3000;
  const TARGETS = ['far:1', 'far:2', 'far:3'];
  const embedder = new HashingEmbedder();
  const log = createLogger('silent', {}, () => undefined);
  let db: Database;
  let dir: string;
  let pool: pg.Pool;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-hnsw-'));
    db = await openDatabase({ dataDir: dir, log });
    const topics = ['pack temperature', 'cell voltage delta', 'state of charge', 'charging current', 'coolant pump', 'contactor'];
    const rows = Array.from({ length: FILLERS }, (_, i) => ({
      id: `near:${i}`, code: '0xF00D',
      title: `Battery note ${i}`, body: `Battery ${topics[i % topics.length]} reading ${i % 97} on pack module ${i % 13}; battery service log ${i}.`,
    }));
    rows.push(...TARGETS.map((id, i) => ({ id, code: '0xBEEF', title: `Wiper linkage ${i}`, body: 'Windscreen wiper linkage squeaks; grease the pivot bushings.' })));
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      const vectors = await embedder.embed(batch.map((r) => `${r.title}\n${r.body}`));
      await db.pool.query(
        `INSERT INTO kb_passages (id, source_kind, source_id, fault_codes, title, body, embedding, embedding_model)
         SELECT id, 'document', id, ARRAY[code], title, body, e::vector, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS v(id, code, title, body, e)`,
        [batch.map((r) => r.id), batch.map((r) => r.code), batch.map((r) => r.title), batch.map((r) => r.body), vectors.map(toVectorLiteral), embedder.model],
      );
    }
    await db.pool.query(RETRIEVAL_SQL.createHnsw); // after the bulk load, as the indexer does
    await db.pool.query('ANALYZE kb_passages');
    // One connection that may not scan the table or the code index: the vector search must walk the HNSW graph.
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    pool.on('connect', (c) => void c.query('SET enable_seqscan = off; SET enable_bitmapscan = off'));
  }, 300_000);
  afterAll(async () => {
    await pool?.end();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the filtered query is answered from the HNSW index', async () => {
    const [v] = await embedder.embed(['battery pack temperature']);
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(RETRIEVAL_SQL.iterativeScan);
      await c.query(RETRIEVAL_SQL.efSearch);
      const plan = await c.query(`EXPLAIN (FORMAT JSON) ${RETRIEVAL_SQL.vectorSearch}`, [toVectorLiteral(v!), null, ['0xBEEF'], null, null, embedder.model, 40]);
      await c.query('COMMIT');
      expect(JSON.stringify(plan.rows)).toMatch(/"Index Name":\s*"kb_passages_embedding_hnsw"/);
    } finally {
      c.release();
    }
  });

  it('returns every filtered row though all ef_search nearest rows fail the filter', async () => {
    const retriever = new PgHybridRetriever(pool, embedder);
    const unfiltered = await retriever.search({ text: 'battery pack temperature', mode: 'vector', k: 100 });
    expect(unfiltered.length).toBe(100);
    expect(unfiltered.every((h) => h.passage.fault_codes.includes('0xF00D'))).toBe(true);
    const hits = await retriever.search({ text: 'battery pack temperature', codes: ['0xBEEF'], mode: 'vector', k: 5 });
    expect(hits.map((h) => h.passage.id).sort()).toEqual(TARGETS);
  });
});
