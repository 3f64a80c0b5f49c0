/**
 * The demo knowledge bundle shipped with Argus: the demo KB's faults plus the
 * demo documents (Markdown with front matter), cases and links.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoKnowledgeBase } from './demo-kb.js';
import type { KbBundle } from './kb-documents.js';
import { mergeBundles, parseKbFile } from './kb-file.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Folder of the shipped demo documents. */
export const DEMO_DOCS_DIR = path.join(HERE, 'demo-docs');

/** Reads every KB file (`.json`, `.md`) under `dir` (recursively) into one bundle. */
export async function readKbDir(dir: string): Promise<KbBundle> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile() && /\.(json|md)$/i.test(e.name)).map((e) => path.join(e.parentPath, e.name)).sort();
  const bundles: KbBundle[] = [];
  for (const f of files) bundles.push(parseKbFile(path.relative(dir, f), await readFile(f, 'utf8')));
  return mergeBundles(bundles);
}

/** The whole demo bundle: faults, documents, cases, links. */
export async function demoBundle(): Promise<KbBundle> {
  const docs = await readKbDir(DEMO_DOCS_DIR);
  const extra = parseKbFile('demo-cases.json', await readFile(path.join(HERE, 'demo-cases.json'), 'utf8'));
  return mergeBundles([{ faults: demoKnowledgeBase().faults, documents: [], cases: [], links: [] }, docs, extra]);
}
