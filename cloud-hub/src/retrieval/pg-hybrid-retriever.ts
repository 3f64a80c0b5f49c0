/**
 * Hybrid retrieval on Postgres: hard SQL filters (platform, causes whose
 * firmware range fits, fault codes) + pgvector HNSW cosine + full text,
 * fused by RRF. The shell around the pure parts in filters.ts and rrf.ts.
 */
import type pg from 'pg';
import type { Embedder } from '../embedding/embedder.js';
import { allowedCauseIds, orTsQuery, type CauseScope } from './filters.js';
import { RETRIEVAL_SQL as SQL, toVectorLiteral } from './pg-retrieval-queries.js';
import type { RetrievalHit, RetrievalQuery, RetrievalTuning, Retriever, PassageRow } from './retriever.js';
import { DEFAULT_TUNING } from './retriever.js';
import { rrf } from './rrf.js';

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Retriever over kb_passages (migrations/0006). */
export class PgHybridRetriever implements Retriever {
  private causes: Promise<CauseScope[]> | undefined;
  constructor(private readonly pool: pg.Pool, private readonly embedder: Embedder, private readonly tuning: RetrievalTuning = DEFAULT_TUNING) {}

  /** Forgets cached cause ranges (call after the KB changed). */
  invalidate(): void {
    this.causes = undefined;
  }

  async search(q: RetrievalQuery): Promise<RetrievalHit[]> {
    const k = q.k ?? 8;
    const mode = q.mode ?? 'hybrid';
    const filtered = q.filters !== false && q.vehicle !== undefined;
    const allowed = filtered ? allowedCauseIds(await this.causeScopes(), q.vehicle!) : null;
    const params = [filtered ? q.vehicle!.platform : null, q.codes?.length ? q.codes : null, allowed, q.kinds?.length ? q.kinds : null];
    const depth = Math.max(k, this.tuning.depth);
    const [vec, txt] = await Promise.all([
      mode === 'text' ? [] : this.vectorSearch(q.text, params, depth),
      mode === 'vector' ? [] : this.textSearch(q.text, params, depth),
    ]);
    const fused = rrf([
      { name: 'vector', ids: vec.map((r) => r.id), weight: this.tuning.vectorWeight },
      { name: 'text', ids: txt.map((r) => r.id), weight: this.tuning.textWeight },
    ], this.tuning.rrfK).slice(0, k);
    const rows = await this.rows(fused.map((f) => f.id));
    const vScore = new Map(vec.map((r) => [r.id, r.score]));
    const tScore = new Map(txt.map((r) => [r.id, r.score]));
    return fused.flatMap((f) => {
      const passage = rows.get(f.id);
      if (!passage) return [];
      const why: string[] = [];
      if (filtered) why.push(`fits platform ${q.vehicle!.platform}${passage.cause_ids.length ? ` and firmware (cause ${passage.cause_ids.join(', ')})` : ''}`);
      if (q.codes?.length) why.push(`about ${passage.fault_codes.filter((c) => q.codes!.includes(c)).join(', ')}`);
      const v = vScore.get(f.id);
      const t = tScore.get(f.id);
      if (v !== undefined) why.push(`vector rank ${f.ranks['vector']} (cosine ${r4(v)})`);
      if (t !== undefined) why.push(`text rank ${f.ranks['text']} (ts_rank ${r4(t)})`);
      const score = mode === 'vector' ? (v ?? 0) : mode === 'text' ? (t ?? 0) : f.score;
      return [{
        passage, score: r4(score), why,
        scores: { ...(v !== undefined ? { vector: r4(v), vector_rank: f.ranks['vector']! } : {}), ...(t !== undefined ? { text: r4(t), text_rank: f.ranks['text']! } : {}), ...(mode === 'hybrid' ? { rrf: r4(f.score) } : {}) },
      }];
    });
  }

  private async vectorSearch(text: string, filters: unknown[], limit: number): Promise<{ id: string; score: number }[]> {
    const [v] = await this.embedder.embed([text]);
    if (!v || v.every((x) => x === 0)) return [];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(SQL.iterativeScan);
      await client.query(SQL.efSearch);
      const r = await client.query<{ id: string; score: number }>(SQL.vectorSearch, [toVectorLiteral(v), ...filters, this.embedder.model, limit]);
      await client.query('COMMIT');
      // relaxed_order may return rows slightly out of order: sort again.
      return r.rows.map((x) => ({ id: x.id, score: Number(x.score) })).sort((a, b) => b.score - a.score);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async textSearch(text: string, filters: unknown[], limit: number): Promise<{ id: string; score: number }[]> {
    const tsq = orTsQuery(text);
    if (tsq === '') return [];
    const r = await this.pool.query<{ id: string; score: number }>(SQL.textSearch, [tsq, ...filters, limit]);
    return r.rows.map((x) => ({ id: x.id, score: Number(x.score) }));
  }

  private async rows(ids: string[]): Promise<Map<string, PassageRow>> {
    if (ids.length === 0) return new Map();
    const r = await this.pool.query<PassageRow>(SQL.passages, [ids]);
    return new Map(r.rows.map((x) => [x.id, x]));
  }

  private causeScopes(): Promise<CauseScope[]> {
    this.causes ??= this.pool.query<CauseScope>(SQL.causes).then((r) => r.rows).catch((err) => {
      this.causes = undefined;
      throw err;
    });
    return this.causes;
  }
}
