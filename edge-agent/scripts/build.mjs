#!/usr/bin/env node
// Compiles the edge agent into plain JavaScript (edge-agent/dist/), so the
// vehicle runs it with bare `node`: no TypeScript loader in memory (tsx and its
// compile cache cost ~45 MB of RSS, a third of the agent's budget).
// Runs on `npm install`/`npm ci` (postinstall) and `npm run build:agent`.
//
// Bundled: the agent and the workspace packages it uses (@argus/shared,
// @argus/native's TypeScript), written as TypeScript. Left as imports: every
// npm package (mqtt, zod, zstd-napi), resolved from node_modules at run time.
// The native addon is loaded by a path relative to the module that loads it,
// so that path is rewritten to point from dist/ to native/build/Release/.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const agent = path.resolve(here, '..');
const dist = path.join(agent, 'dist');
const addonFrom = path.resolve(agent, '../native/lib/addon.ts');
const ADDON_REF = `'../build/Release/argus_native.node'`;

/** npm packages stay imports; workspace packages (@argus/*) are bundled. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@argus/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Points the addon's relative require at native/build from the bundle's directory. */
const addonPath = {
  name: 'addon-path',
  setup(b) {
    b.onLoad({ filter: /native[\\/]lib[\\/]addon\.ts$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      if (!src.includes(ADDON_REF)) throw new Error(`${addonFrom}: expected to load the addon from ${ADDON_REF}`);
      const rel = path.relative(dist, path.resolve(path.dirname(args.path), '../build/Release/argus_native.node'));
      return { contents: src.replace(ADDON_REF, JSON.stringify(rel.split(path.sep).join('/'))), loader: 'ts' };
    });
  },
};

let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // A production-only install (npm ci --omit=dev) has no esbuild: ship the dist/ built on the packaging host.
  console.warn('edge-agent: esbuild is not installed, dist/ not rebuilt (run `npm run build:agent` where dev dependencies are)');
  process.exit(0);
}
const t0 = Date.now();
const result = await build({
  entryPoints: { agent: path.join(agent, 'src/index.ts'), 'argus-agent': path.join(agent, 'src/cli-entry.ts') },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [externals, addonPath],
  metafile: true,
});
// Chunk names carry content hashes: drop the files earlier builds left that this one did not write
// (after the new files are in place, so an agent starting meanwhile finds a complete set).
const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)));
let removed = 0;
for (const name of await readdir(dist)) {
  const file = path.join(dist, name);
  if (!written.has(file)) {
    await rm(file, { force: true, recursive: true });
    removed++;
  }
}
console.log(`edge-agent: built dist/ in ${Date.now() - t0} ms${removed ? `, ${removed} stale files removed` : ''}`);
