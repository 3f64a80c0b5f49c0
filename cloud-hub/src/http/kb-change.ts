/**
 * What a knowledge-base write changed, for the audit log. The KB routes
 * (kb-routes.ts) read the stored state of the entity before and after the
 * write and put it on the request context under KB_CHANGE; the KB guard
 * (dashboard/kb-guard.ts) writes it to the audit log. The two reads are not
 * one transaction with the write: under concurrent edits of the same entity
 * `after` may already include the other edit.
 */
import type { KbBundle, KbLink } from '../kb/kb-documents.js';
import type { KbFault } from '../kb/knowledge-base.js';
import type { KnowledgeService } from '../retrieval/knowledge-service.js';

/** Context key of the change. */
export const KB_CHANGE = 'kbChange';

/** Stored state before and after one write; null = the entity did not (or no longer does) exist. */
export interface KbChange {
  before: unknown;
  after: unknown;
}

/** Hono environment of the KB routes. */
export type KbEnv = { Variables: { [KB_CHANGE]: KbChange } };

/** Stable key of a link (a link has no id of its own). */
export function linkKey(l: KbLink): string {
  return `${l.from_code}>${l.to_code}:${l.relation}`;
}

/** The stored link equal to `l`, or null. */
export async function storedLink(kb: KnowledgeService, l: KbLink): Promise<KbLink | null> {
  return (await kb.docs.listLinks()).find((x) => linkKey(x) === linkKey(l)) ?? null;
}

/** The stored fault with `code` (with its causes), or null. */
export async function storedFault(kb: KnowledgeService, code: string): Promise<KbFault | null> {
  return (await kb.faults.load()).faults.find((f) => f.code === code) ?? null;
}

/**
 * The stored state of every entity a bundle names, keyed `fault:<code>`,
 * `document:<id>`, `case:<id>`, `link:<from>><to>:<relation>` (null = absent).
 * Read before and after an import, it shows what the import replaced.
 */
export async function bundleState(kb: KnowledgeService, b: KbBundle): Promise<Record<string, unknown>> {
  const now = await kb.exportBundle();
  const out: Record<string, unknown> = {};
  for (const f of b.faults) out[`fault:${f.code}`] = now.faults.find((x) => x.code === f.code) ?? null;
  for (const d of b.documents) out[`document:${d.id}`] = now.documents.find((x) => x.id === d.id) ?? null;
  for (const k of b.cases) out[`case:${k.id}`] = now.cases.find((x) => x.id === k.id) ?? null;
  for (const l of b.links) out[`link:${linkKey(l)}`] = now.links.find((x) => linkKey(x) === linkKey(l)) ?? null;
  return out;
}
