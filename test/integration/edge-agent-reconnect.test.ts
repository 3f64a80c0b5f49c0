import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, vehicleToken } from '@argus/shared';
import { loadHubConfig, startHub, type Hub } from '@argus/cloud-hub';
import { AgentDaemon, parseAgentConfig, readJournal, type AgentConfigInput, type DriveEntry } from '@argus/edge-agent';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { CuttableProxy } from '../support/cuttable-proxy.js';
import { watchOutbox } from '../support/outbox-watch.js';
import { startTestHub, testLogger } from '../support/test-hub.js';

// The link goes away in the middle of an upload and comes back: the whole hub
// (broker and HTTP) restarting on the same ports and data, or only the MQTT
// broker (HTTP up: the agent switches to HTTP by the switch rule, and back to
// MQTT when the broker returns). Every time the drive completes with every chunk
// stored once and one barrier, and the outbox never holds more than its quota —
// set below the drive's packed size (~590 kB), so the agent must drop topics.
const QUOTA = 384 * 1024;
type Line = { msg: string; [k: string]: unknown };

async function agentSetup(dir: string, seed: number, hub: { mqttUrl: string; httpUrl: string }, secret: string, over: Partial<AgentConfigInput> = {}) {
  const vin = randomVin(Rng.derive(seed, 'vin'), 'J7');
  const recordings = path.join(dir, 'recordings');
  await mkdir(recordings, { recursive: true });
  const lines: Line[] = [];
  const cfg = parseAgentConfig({
    vin, token: vehicleToken(secret, vin), mqttUrl: hub.mqttUrl, httpUrl: hub.httpUrl, recordingsDir: recordings, stateDir: path.join(dir, 'agent'),
    detect: 'marker', scanIntervalMs: 200, chunkBytes: 16 * 1024, bandwidthBytesPerS: 100_000, reconnectMinMs: 100, reconnectMaxMs: 1000, ackTimeoutMs: 3000,
    outboxQuotaBytes: QUOTA, ...over,
  });
  await writeDrive({ out: path.join(recordings, 'a.mcap'), seed, platform: 'J7', vin, durationS: 40 });
  await writeFile(path.join(recordings, 'a.mcap.done'), '');
  const outbox = watchOutbox(cfg.stateDir);
  const daemon = await AgentDaemon.start(cfg, createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as Line)));
  const running = daemon.run();
  let stopped: Promise<number> | null = null;
  return {
    cfg, lines, outbox,
    drive: async () => (await readJournal(cfg.stateDir))[0],
    /** Stops the daemon (once) and returns the outbox's peak size, bytes. */
    stop(): Promise<number> {
      stopped ??= (async () => {
        await daemon.stop();
        await running;
        return outbox.stop();
      })();
      return stopped;
    },
  };
}

async function until(pred: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every chunk of the drive's batch stored once, one barrier, dropped topics recorded with the manifest. */
async function expectStoredOnce(hub: Hub, d: DriveEntry | undefined) {
  expect(d?.state).toBe('complete');
  const ledger = await hub.batches.chunks(d?.batch_id as string);
  expect(ledger).toHaveLength(d?.chunks as number);
  expect((await hub.batches.events(d?.batch_id as string)).filter((e) => e.state === 'uploaded')).toHaveLength(1);
  const b = await hub.batches.get(d?.batch_id as string);
  expect(b?.chunks_expected).toBe(d?.chunks);
  expect(b?.manifest?.dropped?.[0]?.reason).toMatch(/^OUTBOX_QUOTA/);
}

/** Chunks the hub accepted over one transport (first copies only), from its metrics. */
async function chunksVia(hub: Hub, transport: 'mqtt' | 'http'): Promise<number> {
  const m = new RegExp(`argus_ingest_chunks_total\\{transport="${transport}",duplicate="false"\\} (\\d+)`).exec(await hub.metrics.render());
  return Number(m?.[1] ?? 0);
}

describe('argus-agent across link outages', () => {
  it('resumes the upload after the hub and its broker come back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-restart-'));
    const hubLog = testLogger();
    let cfg = loadHubConfig({}, { dataDir: path.join(dir, 'hub'), httpPort: 0, mqttPort: 0, vehicleSecret: 'restart-secret' });
    let hub: Hub = await startHub(cfg, hubLog);
    const ports = { httpPort: Number(new URL(hub.httpUrl).port), mqttPort: Number(new URL(hub.mqttUrl).port) };
    cfg = loadHubConfig({}, { dataDir: path.join(dir, 'hub'), vehicleSecret: 'restart-secret', ...ports });
    const a = await agentSetup(dir, 51, hub, 'restart-secret', { httpFallbackAfterMs: 60_000 });
    try {
      // Stop the hub once a few chunks are stored.
      await until(async () => {
        const d = await a.drive();
        return !!d?.batch_id && (await hub.batches.chunks(d.batch_id)).length >= 5;
      }, 60_000, 'five chunks stored');
      await hub.close();
      await new Promise((r) => setTimeout(r, 1500));
      hub = await startHub(cfg, hubLog);
      await until(async () => (await a.drive())?.state === 'complete', 90_000, 'drive complete after the hub came back');
      const peak = await a.stop();
      await expectStoredOnce(hub, await a.drive());
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(QUOTA);
      expect(a.lines.filter((l) => l.msg === 'mqtt link down').length).toBeGreaterThanOrEqual(1);
      expect(a.lines.filter((l) => l.msg === 'connected to hub').length).toBeGreaterThanOrEqual(2);
    } finally {
      await a.stop();
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('only the MQTT broker goes away (HTTP up): chunks switch to HTTP, and back to MQTT when it returns', async () => {
    const t = await startTestHub();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-brokerdown-'));
    // The agent reaches the broker through a relay the test can cut; HTTP goes straight to the hub.
    const relay = await CuttableProxy.start(t.hub.mqttUrl);
    const a = await agentSetup(dir, 52, { mqttUrl: relay.url, httpUrl: t.hub.httpUrl }, t.cfg.vehicleSecret, { httpFallbackAfterMs: 500, bandwidthBytesPerS: 40_000 });
    try {
      await until(async () => (await chunksVia(t.hub, 'mqtt')) >= 5, 60_000, 'five chunks over MQTT');
      await relay.cut();
      const httpBefore = await chunksVia(t.hub, 'http');
      await until(async () => (await chunksVia(t.hub, 'http')) >= httpBefore + 5, 30_000, 'five chunks over HTTP while the broker is away');
      expect(a.lines.some((l) => l.msg === 'mqtt link down')).toBe(true);
      await relay.restore();
      const mqttBack = await chunksVia(t.hub, 'mqtt');
      await until(async () => (await a.drive())?.state === 'complete', 90_000, 'drive complete');
      const peak = await a.stop();
      await expectStoredOnce(t.hub, await a.drive());
      // Back on MQTT after the broker returned (the rule prefers MQTT whenever it is connected).
      expect(await chunksVia(t.hub, 'mqtt')).toBeGreaterThan(mqttBack);
      expect(a.lines.filter((l) => l.msg === 'connected to hub').length).toBeGreaterThanOrEqual(2);
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(QUOTA);
    } finally {
      await a.stop();
      await relay.cut();
      await t.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
