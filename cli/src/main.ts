import { runDemo } from './demo.js';
import { runHubCommand } from './hub-command.js';
import { runDiagnoseCommand } from './diagnose-command.js';
import { runKbCommand } from './kb-command.js';
import { runSimCli } from '@argus/sim';

const USAGE = `usage: argus <command> [options]

commands:
  demo   start a hub, simulate a drive with a fault, upload it with the edge agent, print the diagnosis
         [--fault CODE] [--platform J7|K1|T2] [--seed N] [--once] [--json]
  sim    write a simulated reference-vehicle recording (argus sim --help)
  hub    run the cloud hub (configuration from the environment, see README)
  diagnose <recording.mcap> [--json]   diagnose one recording offline against the shipped knowledge base
  kb     import <file|dir>... | export [--out FILE]   manage the knowledge base (argus kb --help)
`;

/** Entry point of the `argus` command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'demo':
      return runDemo(rest, process.env);
    case 'sim':
      return runSimCli(rest);
    case 'hub':
      return runHubCommand(process.env);
    case 'diagnose':
      return runDiagnoseCommand(rest, process.env);
    case 'kb':
      return runKbCommand(rest, process.env);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`argus: unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}
