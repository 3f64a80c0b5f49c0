// Worker-thread entry of the ingest content check (see content-check.ts). Plain
// JavaScript so that it loads without a TypeScript loader; it registers tsx
// for the TypeScript it imports, as cli/bin/argus.mjs does for the process.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runContentCheckWorker } = await import('./content-check.ts');
runContentCheckWorker(parentPort);
