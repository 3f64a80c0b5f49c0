import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createLogger } from '@argus/shared';
import { AgentConfigError, loadAgentConfig, type AgentConfig } from './config.js';
import type { AgentDaemon as AgentDaemonType } from './daemon.js';
import { DownlinkStore } from './downlink-store.js';
import { readJournal } from './journal.js';
import { outboxBytes } from './outbox-quota.js';
import { readProgress } from './progress.js';
import { formatStatus } from './status.js';

const USAGE = `usage: argus-agent <run|status|check-config> [--config FILE] [--json]
  run            run the agent daemon (until SIGTERM/SIGINT)
  status         print drives, upload progress, last diagnosis, pending recommendations
  check-config   validate the configuration and print it (token redacted)
The config file (JSON, default /etc/argus/agent.json or $ARGUS_AGENT_CONFIG) is
overridden by ARGUS_AGENT_* environment variables; see docs/edge-agent.md.`;

/** The only place that reads process.env: loads the config file and the overrides. */
function loadConfig(args: string[]): AgentConfig {
  const i = args.indexOf('--config');
  const file = i >= 0 ? args[i + 1] : process.env['ARGUS_AGENT_CONFIG'];
  let obj: Record<string, unknown> = {};
  if (file) {
    try {
      obj = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new AgentConfigError([`(file ${file}): ${(err as Error).message}`]);
    }
  }
  return loadAgentConfig(obj, process.env);
}

/** `argus-agent` entry point; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return cmd ? 0 : 2;
  }
  let cfg: AgentConfig;
  try {
    cfg = loadConfig(args);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (cmd === 'check-config') {
    process.stdout.write(`${JSON.stringify({ ...cfg, token: '<redacted>' }, null, 2)}\n`);
    return 0;
  }
  if (cmd === 'status') {
    const store = new DownlinkStore(cfg.stateDir);
    const s = { drives: await readJournal(cfg.stateDir), progress: await readProgress(cfg.stateDir), outboxBytes: await outboxBytes(cfg.stateDir), lastReport: await store.lastReport(), recommendations: await store.listRecommendations() };
    process.stdout.write(`${args.includes('--json') ? JSON.stringify(s) : formatStatus(s, Date.now())}\n`);
    return 0;
  }
  if (cmd !== 'run') {
    process.stderr.write(`unknown command ${cmd}\n${USAGE}\n`);
    return 2;
  }
  // Lower our priority before the parser's worker threads exist: threads inherit the nice value.
  try {
    os.setPriority(cfg.nice);
  } catch { /* not permitted to change (e.g. raising priority): keep what systemd set */ }
  const log = createLogger(cfg.logLevel, { svc: 'argus-agent' }, (l) => process.stderr.write(l));
  // Loaded only here: `status` and `check-config` need neither the parser addon nor MQTT.
  const { AgentDaemon } = await import('./daemon.js');
  let daemon: AgentDaemonType;
  try {
    daemon = await AgentDaemon.start(cfg, log);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const stop = () => {
    log.info('stopping');
    void daemon.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await daemon.run();
  return 0;
}
