/** Entry point of the compiled agent (dist/argus-agent.mjs): `node dist/argus-agent.mjs run`. */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
