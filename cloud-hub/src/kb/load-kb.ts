/**
 * Validation of a knowledge-base document (already parsed from JSON):
 * schema, then cross-field rules. Every problem is listed, not just the first.
 */
import { KnowledgeBase } from './knowledge-base.js';
import { isValidRange } from './version-range.js';

/** One problem in a KB document; `path` is dotted (`faults.3.causes.0.affected_versions`). */
export interface KbIssue {
  path: string;
  message: string;
}

/** Result of {@link validateKb}. */
export type KbValidation = { ok: true; kb: KnowledgeBase; issues: [] } | { ok: false; issues: KbIssue[] };

/** Error thrown by {@link loadKb}; `issues` lists every bad field. */
export class KbError extends Error {
  readonly code = 'BAD_KB';
  readonly issues: KbIssue[];
  constructor(what: string, issues: KbIssue[]) {
    super(`${what}: ${issues.length} problem(s): ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'KbError';
    this.issues = issues;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Cross-field rules the schema cannot express; runs on whatever shape it is given. */
function crossCheck(value: unknown): KbIssue[] {
  const issues: KbIssue[] = [];
  if (!isObj(value)) return issues;
  const codes = new Map<string, number>();
  const causeIds = new Map<string, string>();
  arr(value.faults).forEach((f, fi) => {
    if (!isObj(f)) return;
    const at = `faults.${fi}`;
    if (typeof f.code === 'string') {
      const prev = codes.get(f.code);
      if (prev !== undefined) issues.push({ path: `${at}.code`, message: `duplicate fault code ${f.code} (also faults.${prev})` });
      else codes.set(f.code, fi);
    }
    const sig = arr(f.signature);
    const primaries = sig.filter((r) => isObj(r) && r.role === 'primary').length;
    if (Array.isArray(f.signature) && primaries !== 1) {
      issues.push({ path: `${at}.signature`, message: `needs exactly one rule with role "primary", found ${primaries}` });
    }
    const faultPlatforms = new Set(arr(f.platforms).filter((p): p is string => typeof p === 'string'));
    arr(f.causes).forEach((c, ci) => {
      if (!isObj(c)) return;
      const cat = `${at}.causes.${ci}`;
      if (typeof c.id === 'string') {
        const prev = causeIds.get(c.id);
        if (prev !== undefined) issues.push({ path: `${cat}.id`, message: `duplicate cause id ${c.id} (also ${prev})` });
        else causeIds.set(c.id, cat);
      }
      if (typeof c.affected_versions === 'string' && c.affected_versions !== '' && !isValidRange(c.affected_versions)) {
        issues.push({ path: `${cat}.affected_versions`, message: `not a version range: "${c.affected_versions}"` });
      }
      arr(c.platforms).forEach((p, pi) => {
        if (typeof p === 'string' && faultPlatforms.size > 0 && !faultPlatforms.has(p)) {
          issues.push({ path: `${cat}.platforms.${pi}`, message: `platform ${p} is not among the fault's platforms` });
        }
      });
    });
  });
  return issues;
}

/**
 * Validates a KB document and lists every problem (schema and cross-field:
 * one primary rule per fault, unique codes and cause ids, parsable version
 * ranges, cause platforms within the fault's).
 */
export function validateKb(value: unknown): KbValidation {
  const issues: KbIssue[] = [];
  const r = KnowledgeBase.safeParse(value);
  if (!r.success) {
    for (const i of r.error.issues) issues.push({ path: i.path.map(String).join('.'), message: i.message });
  }
  issues.push(...crossCheck(value));
  if (issues.length > 0 || !r.success) return { ok: false, issues };
  return { ok: true, kb: r.data, issues: [] };
}

/**
 * Decodes a KB document or throws {@link KbError} listing every bad field.
 * `what` names the document in the message (e.g. a file name or KB version).
 */
export function loadKb(value: unknown, what = 'knowledge base'): KnowledgeBase {
  const v = validateKb(value);
  if (!v.ok) throw new KbError(what, v.issues);
  return v.kb;
}
