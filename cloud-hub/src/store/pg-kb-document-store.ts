import type pg from 'pg';
import { KbCase, KbDocument, KbLink } from '../kb/kb-documents.js';
import { derivePassages } from '../kb/passages.js';
import type { KbDocumentStore } from './kb-document-store.js';
import { PgKnowledgeStore } from './pg-knowledge-store.js';
import { DOC_SQL as SQL } from './pg-kb-document-queries.js';

/** KbDocumentStore on Postgres: kb_documents, kb_cases, kb_links, kb_passages (migrations/0002, 0006). */
export class PgKbDocumentStore implements KbDocumentStore {
  constructor(private readonly pool: pg.Pool) {}

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const r = await fn(client);
      await client.query('COMMIT');
      return r;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async putDocuments(docs: KbDocument[]): Promise<number> {
    return this.tx(async (c) => {
      for (const d of docs) await c.query(SQL.upsertDocument, [d.id, d.kind, d.title, d.platforms, d.fault_codes, d.cause_ids, d.body]);
      return docs.length;
    });
  }

  async getDocument(id: string): Promise<KbDocument | null> {
    const row = (await this.pool.query(SQL.document, [id])).rows[0];
    return row ? KbDocument.parse(row) : null;
  }

  async listDocuments(): Promise<KbDocument[]> {
    return (await this.pool.query(SQL.documents)).rows.map((r) => KbDocument.parse(r));
  }

  async deleteDocument(id: string): Promise<boolean> {
    return ((await this.pool.query(SQL.deleteDocument, [id])).rowCount ?? 0) > 0;
  }

  async putCases(cases: KbCase[]): Promise<number> {
    return this.tx(async (c) => {
      for (const k of cases) {
        await c.query(SQL.upsertCase, [k.id, k.vin, k.platform, JSON.stringify(k.firmware), k.fault_code, k.cause_id, k.summary, k.confirmed_by, k.confirmed_at ?? null]);
      }
      return cases.length;
    });
  }

  async getCase(id: string): Promise<KbCase | null> {
    const row = (await this.pool.query(SQL.case, [id])).rows[0];
    return row ? KbCase.parse(row) : null;
  }

  async listCases(): Promise<KbCase[]> {
    return (await this.pool.query(SQL.cases)).rows.map((r) => KbCase.parse(r));
  }

  async deleteCase(id: string): Promise<boolean> {
    return ((await this.pool.query(SQL.deleteCase, [id])).rowCount ?? 0) > 0;
  }

  async putLinks(links: KbLink[]): Promise<number> {
    return this.tx(async (c) => {
      for (const l of links) await c.query(SQL.upsertLink, [l.from_code, l.to_code, l.relation]);
      return links.length;
    });
  }

  async listLinks(): Promise<KbLink[]> {
    return (await this.pool.query(SQL.links)).rows.map((r) => KbLink.parse(r));
  }

  async deleteLink(l: KbLink): Promise<boolean> {
    return ((await this.pool.query(SQL.deleteLink, [l.from_code, l.to_code, l.relation])).rowCount ?? 0) > 0;
  }

  async passageCount(): Promise<number> {
    return (await this.pool.query<{ n: number }>(SQL.passageCount)).rows[0]?.n ?? 0;
  }

  async syncPassages(): Promise<{ passages: number; changed: number; removed: number }> {
    const kb = await new PgKnowledgeStore(this.pool).load();
    const passages = derivePassages(kb.faults, await this.listDocuments(), await this.listCases());
    return this.tx(async (c) => {
      const keep = new Set(passages.map((p) => p.id));
      const stale = (await c.query<{ id: string }>(SQL.passageIds)).rows.map((r) => r.id).filter((id) => !keep.has(id));
      if (stale.length > 0) await c.query(SQL.deletePassages, [stale]);
      let changed = 0;
      for (const p of passages) {
        const r = await c.query(SQL.upsertPassage, [p.id, p.source_kind, p.source_id, p.fault_codes, p.cause_ids, p.platforms, p.title, p.body]);
        changed += r.rowCount ?? 0;
      }
      return { passages: passages.length, changed, removed: stale.length };
    });
  }
}
