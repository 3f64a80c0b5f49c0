/**
 * A labelled retrieval query set built from the knowledge base itself: for
 * every cause and every platform it applies to, a firmware version inside
 * its range, and three queries — the observed evidence (log and status text
 * of the signature), a paraphrase of the symptoms, and a terse name-based
 * query. The label is the cause that must be retrieved. Pure.
 */
import type { KbFault, KnowledgeBase } from '../../kb/knowledge-base.js';
import { versionInRange } from '../../kb/version-range.js';
import type { VehicleScope } from '../filters.js';

/** One labelled query. */
export interface LabelledQuery {
  id: string;
  text: string;
  vehicle: VehicleScope;
  /** The cause passage that answers it. */
  expected: string;
  style: 'evidence' | 'paraphrase' | 'terse';
}

const SYNONYMS: [RegExp, string][] = [
  [/\bfalls silent\b/g, 'stops sending data'], [/\brepeatedly\b/g, 'again and again'], [/\bvehicle\b/g, 'truck'],
  [/\bfewer than\b/g, 'less than'], [/\breports\b/g, 'shows'], [/\bgoes above\b/g, 'exceeds'], [/\blonger\b/g, 'more time'],
  [/\bdrive\b/g, 'trip'], [/\bstops\b/g, 'ceases'], [/\bmessages\b/g, 'frames'], [/\bseveral\b/g, 'many'], [/\bdrops\b/g, 'falls'],
];
const CANDIDATE_VERSIONS = ['0.9.0', '1.5.0', '1.9.2', '2.3.0', '2.4.2', '3.1.4', '3.2.1', '4.5.1', '4.5.2', '4.6.2', '4.7.0', '5.0.2', '5.1.3', '6.0.1', '6.1.2', '7.1.0', '7.2.1', '9.0.0'];

/** A version of `range`, or null when none of the candidates fits. */
export function versionIn(range: string): string | null {
  return CANDIDATE_VERSIONS.find((v) => versionInRange(v, range)) ?? null;
}

function paraphrase(text: string): string {
  let t = text.toLowerCase();
  for (const [re, s] of SYNONYMS) t = t.replace(re, s);
  // Keep every other sentence-clause: a partial, reworded description.
  return t.split(/[,;.]/).filter((_, i) => i % 2 === 0).join(' ').replace(/\s+/g, ' ').trim();
}

function evidence(f: KbFault): string {
  const parts: string[] = [];
  for (const r of f.signature) {
    if (r.kind === 'log') parts.push(`[${r.node ?? 'node'}] ${r.text ?? ''}`);
    else if (r.kind === 'status') parts.push(`${r.name} ${r.level} ${r.message ?? ''}`);
    else parts.push(`${r.topic.split('/').filter(Boolean).join(' ')} ${'field' in r ? String(r.field).replace(/[._]/g, ' ') : r.kind.replace('_', ' ')}`);
  }
  return parts.join('. ');
}

/** Builds the labelled query set of a knowledge base. */
export function labelledQueries(kb: KnowledgeBase): LabelledQuery[] {
  const out: LabelledQuery[] = [];
  for (const f of kb.faults) {
    for (const c of f.causes) {
      const v = versionIn(c.affected_versions);
      if (!v) continue;
      for (const platform of c.platforms) {
        const vehicle = { platform, firmware: { [c.firmware_component]: v } };
        const expected = `cause:${c.id}`;
        const base = `${c.id}/${platform}`;
        out.push({ id: `${base}/evidence`, text: evidence(f), vehicle, expected, style: 'evidence' });
        out.push({ id: `${base}/paraphrase`, text: paraphrase(f.symptoms), vehicle, expected, style: 'paraphrase' });
        out.push({ id: `${base}/terse`, text: `${f.name.toLowerCase().replace(/_/g, ' ')} ${f.subsystem.split('.').pop()}`, vehicle, expected, style: 'terse' });
      }
    }
  }
  return out;
}

/** recall@k and MRR of ranked id lists against their expected ids (MRR over the whole list). */
export function scoreRuns(runs: { expected: string; ranked: string[] }[], ks: number[]): { recall: Record<string, number>; mrr: number } {
  const recall: Record<string, number> = {};
  for (const k of ks) recall[`@${k}`] = runs.filter((r) => r.ranked.slice(0, k).includes(r.expected)).length / Math.max(1, runs.length);
  const mrr = runs.reduce((s, r) => s + (r.ranked.includes(r.expected) ? 1 / (r.ranked.indexOf(r.expected) + 1) : 0), 0) / Math.max(1, runs.length);
  return { recall, mrr };
}
