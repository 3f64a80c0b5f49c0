import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, vehicleToken } from '@argus/shared';
import { loadHubConfig, startHub, type Hub } from '@argus/cloud-hub';
import { AgentDaemon, parseAgentConfig, readJournal } from '@argus/edge-agent';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { testLogger } from '../support/test-hub.js';

// The hub (and with it the MQTT broker) stops in the middle of an upload and
// comes back on the same ports and data: the agent reconnects with backoff,
// resumes from its outbox and the drive completes with every chunk stored once.
describe('argus-agent across a hub restart', () => {
  it('resumes the upload after the hub and its broker come back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-restart-'));
    const hubLog = testLogger();
    let cfg = loadHubConfig({}, { dataDir: path.join(dir, 'hub'), httpPort: 0, mqttPort: 0, vehicleSecret: 'restart-secret' });
    let hub: Hub = await startHub(cfg, hubLog);
    const ports = { httpPort: Number(new URL(hub.httpUrl).port), mqttPort: Number(new URL(hub.mqttUrl).port) };
    cfg = loadHubConfig({}, { dataDir: path.join(dir, 'hub'), vehicleSecret: 'restart-secret', ...ports });
    const vin = randomVin(Rng.derive(51, 'vin'), 'J7');
    const recordings = path.join(dir, 'recordings');
    await mkdir(recordings, { recursive: true });
    const lines: { msg: string }[] = [];
    const agentCfg = parseAgentConfig({
      vin, token: vehicleToken('restart-secret', vin), mqttUrl: hub.mqttUrl, httpUrl: hub.httpUrl, recordingsDir: recordings, stateDir: path.join(dir, 'agent'),
      detect: 'marker', scanIntervalMs: 200, chunkBytes: 16 * 1024, bandwidthBytesPerS: 100_000, reconnectMinMs: 100, reconnectMaxMs: 1000, ackTimeoutMs: 3000,
      httpFallbackAfterMs: 60_000,
    });
    await writeDrive({ out: path.join(recordings, 'a.mcap'), seed: 51, platform: 'J7', vin, durationS: 40 });
    await writeFile(path.join(recordings, 'a.mcap.done'), '');
    const daemon = await AgentDaemon.start(agentCfg, createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as { msg: string })));
    const running = daemon.run();
    try {
      // Stop the hub once a few chunks are stored.
      for (;;) {
        const d = (await readJournal(agentCfg.stateDir))[0];
        if (d?.batch_id && (await hub.batches.chunks(d.batch_id)).length >= 5) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await hub.close();
      await new Promise((r) => setTimeout(r, 1500));
      hub = await startHub(cfg, hubLog);
      const end = Date.now() + 90_000;
      while ((await readJournal(agentCfg.stateDir))[0]?.state !== 'complete') {
        if (Date.now() > end) throw new Error('drive not complete after the hub came back');
        await new Promise((r) => setTimeout(r, 200));
      }
      const d = (await readJournal(agentCfg.stateDir))[0];
      const ledger = await hub.batches.chunks(d?.batch_id as string);
      expect(ledger).toHaveLength(d?.chunks as number);
      expect((await hub.batches.events(d?.batch_id as string)).filter((e) => e.state === 'uploaded')).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'mqtt link down').length).toBeGreaterThanOrEqual(1);
      expect(lines.filter((l) => l.msg === 'connected to hub').length).toBeGreaterThanOrEqual(2);
    } finally {
      await daemon.stop();
      await running;
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
