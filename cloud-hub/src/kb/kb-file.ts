/**
 * Reads knowledge-base files: JSON (a bundle, a bare KB with `faults`, or one
 * document/case) and Markdown with front matter (one document; the front
 * matter holds id, kind, title, platforms, fault_codes, cause_ids). Pure:
 * text in, decoded bundle out; errors name the file.
 */
import { KbBundle, KbCase, KbDocument } from './kb-documents.js';
import { KbError } from './load-kb.js';
import { validateKb } from './load-kb.js';

/** Parses the small YAML subset used in front matter: `key: value` and `key: [a, b]`. */
export function parseFrontMatter(text: string): { meta: Record<string, string | string[]>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { meta: {}, body: text };
  const meta: Record<string, string | string[]> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(line.trim());
    if (!kv) continue;
    const raw = kv[2]!.trim();
    const unq = (s: string) => s.trim().replace(/^["']|["']$/g, '');
    meta[kv[1]!] = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1).split(',').map(unq).filter((s) => s !== '') : unq(raw);
  }
  return { meta, body: m[2]!.trim() };
}

function issuesOf(err: { issues: { path: PropertyKey[]; message: string }[] }) {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Decodes one file's text into a bundle; throws KbError (code BAD_KB) listing every problem. */
export function parseKbFile(name: string, text: string): KbBundle {
  if (/\.md$/i.test(name)) {
    const { meta, body } = parseFrontMatter(text);
    const r = KbDocument.safeParse({ ...meta, body });
    if (!r.success) throw new KbError(name, issuesOf(r.error));
    return KbBundle.parse({ documents: [r.data] });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new KbError(name, [{ path: '', message: `not JSON: ${(err as Error).message}` }]);
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if ('body' in o && 'kind' in o) {
    const r = KbDocument.safeParse(o);
    if (!r.success) throw new KbError(name, issuesOf(r.error));
    return KbBundle.parse({ documents: [r.data] });
  }
  if ('summary' in o && 'fault_code' in o) {
    const r = KbCase.safeParse(o);
    if (!r.success) throw new KbError(name, issuesOf(r.error));
    return KbBundle.parse({ cases: [r.data] });
  }
  const r = KbBundle.safeParse(o);
  if (!r.success) throw new KbError(name, issuesOf(r.error));
  if (r.data.faults.length > 0) {
    const v = validateKb({ version: r.data.version ?? name, faults: o['faults'] });
    if (!v.ok) throw new KbError(name, v.issues);
  }
  return r.data;
}

/** Merges bundles (later entries with the same id win). */
export function mergeBundles(list: KbBundle[]): KbBundle {
  const by = <T>(xs: T[], key: (x: T) => string): T[] => [...new Map(xs.map((x) => [key(x), x])).values()];
  return {
    faults: by(list.flatMap((b) => b.faults), (f) => f.code),
    documents: by(list.flatMap((b) => b.documents), (d) => d.id),
    cases: by(list.flatMap((b) => b.cases), (c) => c.id),
    links: by(list.flatMap((b) => b.links), (l) => `${l.from_code}>${l.to_code}:${l.relation}`),
  };
}
