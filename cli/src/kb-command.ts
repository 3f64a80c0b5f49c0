/**
 * `argus kb import <file|dir>…` and `argus kb export [--out file]`: the
 * knowledge base of the hub's database (DATABASE_URL, or the embedded one in
 * ARGUS_DATA_DIR — stop the hub first, an embedded database has one owner).
 * Imports JSON bundles and Markdown documents with front matter; embeds
 * what changed before returning.
 */
import { stat, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@argus/shared';
import { embeddingConfig, loadHubConfig, mergeBundles, openDatabase, openKnowledge, parseKbFile, readKbDir, type KbBundle } from '@argus/cloud-hub';

const USAGE = `usage: argus kb import <file|dir>...   import JSON bundles / Markdown documents (front matter: id, kind, title, platforms, fault_codes, cause_ids)
       argus kb export [--out FILE]     print (or write) the whole knowledge base as one JSON bundle
`;

/** Reads the named files and folders into one bundle (throws KbError naming the bad file). */
export async function readKbInputs(paths: string[]): Promise<KbBundle> {
  const bundles: KbBundle[] = [];
  for (const p of paths) {
    const s = await stat(p);
    bundles.push(s.isDirectory() ? await readKbDir(p) : parseKbFile(path.basename(p), await readFile(p, 'utf8')));
  }
  return mergeBundles(bundles);
}

/** Entry of `argus kb`; returns the exit code. */
export async function runKbCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', default: false } } });
  if (values.help || (sub !== 'import' && sub !== 'export') || (sub === 'import' && positionals.length === 0)) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const log = createLogger(env['LOG_LEVEL'] === 'debug' ? 'debug' : 'warn', {}, (l) => process.stderr.write(l));
  let bundle: KbBundle | undefined;
  if (sub === 'import') {
    try {
      bundle = await readKbInputs(positionals);
    } catch (err) {
      process.stderr.write(`argus kb import: ${(err as Error).message}\n`);
      return 1;
    }
  }
  const cfg = loadHubConfig(env);
  const db = await openDatabase({ ...(cfg.databaseUrl ? { url: cfg.databaseUrl } : {}), dataDir: cfg.dataDir, log });
  try {
    const k = await openKnowledge(db.pool, embeddingConfig(cfg), log, { wait: true });
    if (bundle) {
      const r = await k.importBundle(bundle, { wait: true });
      process.stdout.write(`${JSON.stringify(r)}\n`);
    } else {
      const text = `${JSON.stringify(await k.exportBundle(), null, 2)}\n`;
      if (values.out) await writeFile(values.out, text);
      else process.stdout.write(text);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`argus kb ${sub}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}
