/**
 * Background embedding of knowledge-base passages: picks passages that have
 * no vector from the current model, embeds them in batches and stores the
 * vectors with the model id; builds the HNSW index after the first bulk load.
 * Runs off the request path (call `kick()`; it never runs twice at once).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '@argus/shared';
import { RETRIEVAL_SQL as SQL, toVectorLiteral } from '../retrieval/pg-retrieval-queries.js';
import { EmbeddingError, type Embedder } from './embedder.js';

/** Vector width of the kb_passages.embedding column. */
export const STORED_DIMS = 384;

/** Embeds pending passages in batches. */
export class EmbeddingIndexer {
  private running: Promise<number> | undefined;
  private again = false;
  constructor(private readonly pool: pg.Pool, private readonly embedder: Embedder, private readonly log: Pick<Logger, 'info' | 'warn'>, private readonly batchSize = 32) {
    if (embedder.dims !== STORED_DIMS) throw new EmbeddingError('EMBEDDING_DIMS', `embedder ${embedder.model} gives ${embedder.dims} dims; kb_passages stores ${STORED_DIMS}`);
  }

  /** Starts (or queues) a run in the background; resolves when the run that covers this call ends. */
  kick(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runAll().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  /** Embeds everything pending now; returns the number of passages embedded. */
  async runAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = (await this.pool.query<{ id: string; title: string; body: string }>(SQL.pendingEmbeddings, [this.embedder.model, this.batchSize])).rows;
      if (rows.length === 0) break;
      const vectors = await this.embedder.embed(rows.map((r) => `${r.title}\n${r.body}`));
      const hashes = rows.map((r) => createHash('md5').update(r.title + r.body).digest('hex'));
      const r = await this.pool.query(SQL.setEmbeddings, [rows.map((x) => x.id), vectors.map(toVectorLiteral), this.embedder.model, hashes]);
      total += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) === 0) break; // every row changed under us; the next kick picks them up
    }
    if (total > 0) {
      await this.pool.query(SQL.createHnsw);
      this.log.info('knowledge passages embedded', { model: this.embedder.model, passages: total });
    }
    return total;
  }
}
