import { createPinoLogger, loadHubConfig, startHub } from '@argus/cloud-hub';

/** `argus hub`: runs the hub until SIGINT/SIGTERM. Reads its configuration from the environment. */
export async function runHubCommand(env: Record<string, string | undefined>): Promise<number> {
  let cfg;
  try {
    cfg = loadHubConfig(env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const log = createPinoLogger(cfg.logLevel, { svc: 'hub' }, (l) => process.stderr.write(l));
  const hub = await startHub(cfg, log);
  process.stdout.write(`argus hub: http ${hub.httpUrl}  mqtt ${hub.mqttUrl}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await hub.close();
  return 0;
}
