/**
 * A hub in a child process, for multi-hub tests (test/integration/hub-crash.test.ts).
 * Configured from the environment exactly like `argus hub`; HTTP and MQTT on
 * free ports. Prints one line `READY {"httpUrl":…,"mqttUrl":…}` on stdout, logs
 * JSON lines on stderr, closes gracefully on SIGTERM (SIGKILL is the crash).
 */
import { createLogger } from '@argus/shared';
import { loadHubConfig, startHub } from '@argus/cloud-hub';

const cfg = loadHubConfig(process.env, { httpPort: 0, mqttPort: 0 });
const log = createLogger(cfg.logLevel, { hub: process.env['HUB_NAME'] ?? String(process.pid) }, (l) => process.stderr.write(l));
const hub = await startHub(cfg, log);
process.stdout.write(`READY ${JSON.stringify({ httpUrl: hub.httpUrl, mqttUrl: hub.mqttUrl, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void hub.close().then(() => process.exit(0), () => process.exit(1));
});
