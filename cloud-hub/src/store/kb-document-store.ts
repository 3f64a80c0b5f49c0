import type { KbCase, KbDocument, KbLink } from '../kb/kb-documents.js';

/**
 * Documents, confirmed cases and fault links of the knowledge base, and the
 * searchable passages derived from them and from faults/causes.
 * Implementation: PgKbDocumentStore.
 */
export interface KbDocumentStore {
  putDocuments(docs: KbDocument[]): Promise<number>;
  getDocument(id: string): Promise<KbDocument | null>;
  listDocuments(): Promise<KbDocument[]>;
  /** True when it existed. */
  deleteDocument(id: string): Promise<boolean>;
  putCases(cases: KbCase[]): Promise<number>;
  getCase(id: string): Promise<KbCase | null>;
  listCases(): Promise<KbCase[]>;
  deleteCase(id: string): Promise<boolean>;
  putLinks(links: KbLink[]): Promise<number>;
  listLinks(): Promise<KbLink[]>;
  deleteLink(l: KbLink): Promise<boolean>;
  /**
   * Re-derives the passages from the current faults, causes, documents and
   * cases. Passages whose text changed lose their embedding (the indexer
   * re-embeds them); passages of deleted sources are removed.
   */
  syncPassages(): Promise<{ passages: number; changed: number; removed: number }>;
  /** Number of passages (0 before the first sync). */
  passageCount(): Promise<number>;
}
