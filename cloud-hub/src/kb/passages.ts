/**
 * Derives the searchable passages retrieval reads from the knowledge base:
 * one per fault (symptoms), one per cause (symptoms + root cause +
 * resolution), chunks of every document, one per case. Pure.
 */
import type { KbCase, KbDocument } from './kb-documents.js';
import type { KbFault } from './knowledge-base.js';

/** One searchable passage; empty platform/cause lists mean "any". */
export interface Passage {
  id: string;
  source_kind: 'fault' | 'cause' | 'document' | 'case';
  source_id: string;
  fault_codes: string[];
  cause_ids: string[];
  platforms: string[];
  title: string;
  body: string;
}

/** Target chunk length (characters) and overlap of document chunks. */
export const CHUNK_CHARS = 700;
export const CHUNK_OVERLAP = 120;

/**
 * Splits text into chunks of about `size` characters on paragraph, then
 * sentence boundaries, carrying `overlap` characters of context forward.
 */
export function chunkText(text: string, size = CHUNK_CHARS, overlap = CHUNK_OVERLAP): string[] {
  const units = text.split(/\n\s*\n/).flatMap((p) => (p.length <= size ? [p.trim()] : p.split(/(?<=[.!?])\s+/).map((s) => s.trim()))).filter((u) => u !== '');
  const chunks: string[] = [];
  let cur = '';
  for (const u of units) {
    if (cur !== '' && cur.length + u.length + 1 > size) {
      chunks.push(cur);
      cur = cur.slice(Math.max(0, cur.length - overlap)).replace(/^\S*\s/, '');
    }
    cur = cur === '' ? u : `${cur}\n${u}`;
    while (cur.length > size * 1.5) {
      chunks.push(cur.slice(0, size));
      cur = cur.slice(size - overlap);
    }
  }
  if (cur.trim() !== '') chunks.push(cur);
  return chunks;
}

/** Every passage of a knowledge base, in a stable order. */
export function derivePassages(faults: KbFault[], documents: KbDocument[], cases: KbCase[]): Passage[] {
  const out: Passage[] = [];
  for (const f of faults) {
    out.push({ id: `fault:${f.code}`, source_kind: 'fault', source_id: f.code, fault_codes: [f.code], cause_ids: [], platforms: f.platforms, title: `${f.code} ${f.name}`, body: `${f.subsystem}. ${f.symptoms}` });
    for (const c of f.causes) {
      out.push({
        id: `cause:${c.id}`, source_kind: 'cause', source_id: c.id, fault_codes: [f.code], cause_ids: [c.id], platforms: c.platforms,
        title: `${f.code} ${f.name}: cause ${c.id}`,
        body: `${f.symptoms} Root cause (${c.firmware_component} ${c.affected_versions}, ${c.platforms.join('/')}): ${c.root_cause} Resolution: ${c.resolution}`,
      });
    }
  }
  for (const d of documents) {
    chunkText(d.body).forEach((text, i) => {
      out.push({ id: `doc:${d.id}#${i}`, source_kind: 'document', source_id: d.id, fault_codes: d.fault_codes, cause_ids: d.cause_ids, platforms: d.platforms, title: `${d.kind}: ${d.title}`, body: text });
    });
  }
  for (const c of cases) {
    const fw = Object.entries(c.firmware).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push({
      id: `case:${c.id}`, source_kind: 'case', source_id: c.id, fault_codes: [c.fault_code], cause_ids: c.cause_id ? [c.cause_id] : [], platforms: [c.platform],
      title: `confirmed case ${c.id}: ${c.fault_code}${c.cause_id ? ` cause ${c.cause_id}` : ''}`,
      body: `${c.summary} (vehicle ${c.vin}, ${c.platform}${fw ? `, ${fw}` : ''}; confirmed by ${c.confirmed_by})`,
    });
  }
  return out;
}
