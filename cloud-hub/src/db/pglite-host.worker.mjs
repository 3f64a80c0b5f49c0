// Worker-thread entry of the embedded database (see embedded-worker.ts). Plain
// JavaScript so that it loads without a TypeScript loader; it registers tsx
// for the TypeScript it imports, as cli/bin/argus.mjs does for the process.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runPgliteHostWorker } = await import('./pglite-host-worker.ts');
await runPgliteHostWorker(parentPort, workerData);
