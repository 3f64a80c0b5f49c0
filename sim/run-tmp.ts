import { runSimCli } from './src/index.js';
process.exitCode = await runSimCli(process.argv.slice(2));
