/**
 * The knowledge base as the hub and the CLI use it: stores for faults and
 * documents, import/export of bundles, the background embedding indexer and
 * the hybrid retriever, wired on one Postgres pool.
 */
import type pg from 'pg';
import type { Logger } from '@argus/shared';
import type { Embedder } from '../embedding/embedder.js';
import { EmbeddingIndexer } from '../embedding/embedding-indexer.js';
import { demoBundle } from '../kb/demo-bundle.js';
import type { KbBundle } from '../kb/kb-documents.js';
import { PgKbDocumentStore } from '../store/pg-kb-document-store.js';
import { PgKnowledgeStore } from '../store/pg-knowledge-store.js';
import { PgHybridRetriever } from './pg-hybrid-retriever.js';
import type { RetrievalTuning } from './retriever.js';

/** Counts of an import. */
export interface ImportSummary {
  faults: number;
  causes: number;
  documents: number;
  cases: number;
  links: number;
  passages: number;
  changed_passages: number;
}

/** The wired knowledge base. */
export class KnowledgeService {
  readonly faults: PgKnowledgeStore;
  readonly docs: PgKbDocumentStore;
  readonly retriever: PgHybridRetriever;
  readonly indexer: EmbeddingIndexer;

  constructor(pool: pg.Pool, readonly embedder: Embedder, private readonly log: Pick<Logger, 'info' | 'warn'>, tuning?: RetrievalTuning) {
    this.faults = new PgKnowledgeStore(pool);
    this.docs = new PgKbDocumentStore(pool);
    this.retriever = new PgHybridRetriever(pool, embedder, tuning);
    this.indexer = new EmbeddingIndexer(pool, embedder, log);
  }

  /**
   * Imports a bundle (faults with their causes, documents, cases, links),
   * re-derives the passages and starts embedding them in the background
   * (`wait` awaits the embedding).
   */
  async importBundle(b: KbBundle, opts: { wait?: boolean } = {}): Promise<ImportSummary> {
    const f = b.faults.length > 0 ? await this.faults.upsert({ version: b.version ?? 'import', faults: b.faults }) : { faults: 0, causes: 0 };
    const documents = await this.docs.putDocuments(b.documents);
    const cases = await this.docs.putCases(b.cases);
    const links = await this.docs.putLinks(b.links);
    const sum = await this.refresh({ wait: opts.wait ?? false });
    return { ...f, documents, cases, links, passages: sum.passages, changed_passages: sum.changed };
  }

  /** Re-derives passages after any change and kicks the indexer. */
  async refresh(opts: { wait?: boolean } = {}): Promise<{ passages: number; changed: number; removed: number }> {
    const sum = await this.docs.syncPassages();
    this.retriever.invalidate();
    const run = this.indexer.kick().catch((err: Error) => {
      this.log.warn('embedding run failed', { err: err.message });
      return 0;
    });
    if (opts.wait) await run;
    return sum;
  }

  /** The whole knowledge base as one bundle. */
  async exportBundle(): Promise<KbBundle> {
    const kb = await this.faults.load();
    return { version: kb.version, faults: kb.faults, documents: await this.docs.listDocuments(), cases: await this.docs.listCases(), links: await this.docs.listLinks() };
  }

  /**
   * Seeds the demo bundle into an empty knowledge base (faults and all); a
   * database that has faults but was never indexed (passages empty: first
   * start after an upgrade) gets the demo documents, cases and links only.
   * Then makes sure passages and vectors are current.
   */
  async ensureSeeded(opts: { wait?: boolean } = {}): Promise<void> {
    const demo = await demoBundle();
    if ((await this.faults.count()) === 0) {
      const r = await this.importBundle(demo, opts);
      this.log.info('seeded the demo knowledge bundle', { ...r });
    } else if ((await this.docs.passageCount()) === 0) {
      const r = await this.importBundle({ ...demo, faults: [] }, opts);
      this.log.info('seeded the demo documents, cases and links', { ...r });
    } else {
      await this.refresh(opts);
    }
  }
}
