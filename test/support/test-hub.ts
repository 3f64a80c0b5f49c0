import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, type Logger } from '@argus/shared';
import { loadHubConfig, startHub, type Hub, type HubConfig } from '@argus/cloud-hub';

/** A hub on loopback with free ports and its own temp data dir. */
export interface TestHub {
  hub: Hub;
  cfg: HubConfig;
  dir: string;
  log: Logger;
  stop(): Promise<void>;
}

/** Logger for tests: silent unless ARGUS_TEST_LOG is set. */
export function testLogger(): Logger {
  return createLogger(process.env['ARGUS_TEST_LOG'] ? 'debug' : 'silent', {}, (l) => process.stderr.write(l));
}

/** Starts an embedded hub (PGlite, filesystem store, aedes) for one test file. */
export async function startTestHub(overrides: Partial<HubConfig> = {}): Promise<TestHub> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-hub-'));
  const cfg = loadHubConfig({}, { dataDir: path.join(dir, 'hub'), httpPort: 0, mqttPort: 0, vehicleSecret: 'test-fleet-secret', ...overrides });
  const log = testLogger();
  const hub = await startHub(cfg, log);
  return {
    hub, cfg, dir, log,
    async stop() {
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
