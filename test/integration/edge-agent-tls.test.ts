import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, vehicleToken } from '@argus/shared';
import { AgentDaemon, parseAgentConfig, readJournal, type DriveEntry } from '@argus/edge-agent';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { makeThrowawayPki, type ThrowawayPki } from '../support/throwaway-ca.js';
import { TlsTerminator } from '../support/tls-terminator.js';

// mqtts and https with the agent's `caFile`: a throwaway CA (openssl) signs a
// loopback certificate; TLS terminators in front of the hub's MQTT and HTTP
// ports (the hub itself speaks plain TCP behind its load balancer). Trusting the
// right CA, a drive uploads over mqtts and is confirmed over https; trusting
// another CA, the agent refuses the hub with an error that names the caFile.
type Line = { msg: string; [k: string]: unknown };

describe('argus-agent over TLS (mqtts, https) with a CA file', () => {
  let t: TestHub;
  let dir: string;
  let pki: ThrowawayPki;
  let mqtts: TlsTerminator;
  let https: TlsTerminator;
  beforeAll(async () => {
    t = await startTestHub();
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-tls-'));
    pki = makeThrowawayPki(dir);
    mqtts = await TlsTerminator.start(pki, t.hub.mqttUrl);
    https = await TlsTerminator.start(pki, t.hub.httpUrl);
  });
  afterAll(async () => {
    await mqtts?.close();
    await https?.close();
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function runAgent(seed: number, caFile: string, until: (lines: Line[], drives: DriveEntry[]) => boolean, timeoutMs: number, mqttUrl = `mqtts://127.0.0.1:${mqtts.port}`) {
    const vin = randomVin(Rng.derive(seed, 'vin'), 'J7');
    const work = path.join(dir, `agent-${seed}`);
    const recordings = path.join(work, 'recordings');
    await mkdir(recordings, { recursive: true });
    await writeDrive({ out: path.join(recordings, 'a.mcap'), seed, platform: 'J7', vin, durationS: 20 });
    await writeFile(path.join(recordings, 'a.mcap.done'), '');
    const cfg = parseAgentConfig({
      vin, token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl, httpUrl: `https://127.0.0.1:${https.port}`, caFile,
      recordingsDir: recordings, stateDir: path.join(work, 'state'), detect: 'marker', scanIntervalMs: 200, chunkBytes: 64 * 1024,
      reconnectMinMs: 200, reconnectMaxMs: 1000, httpFallbackAfterMs: 500,
    });
    const lines: Line[] = [];
    const daemon = await AgentDaemon.start(cfg, createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as Line)));
    const running = daemon.run();
    const end = Date.now() + timeoutMs;
    let drives: DriveEntry[] = [];
    try {
      for (;;) {
        drives = await readJournal(cfg.stateDir);
        if (until(lines, drives)) break;
        if (Date.now() > end) throw new Error(`agent did not get there within ${timeoutMs} ms; last lines:\n${lines.slice(-5).map((l) => JSON.stringify(l)).join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await daemon.stop();
      await running;
    }
    return { vin, lines, drives };
  }

  async function expectStoredOnce(d: DriveEntry | undefined) {
    expect(d?.state).toBe('complete');
    expect(await t.hub.batches.chunks(d?.batch_id as string)).toHaveLength(d?.chunks as number);
    expect((await t.hub.batches.events(d?.batch_id as string)).filter((e) => e.state === 'uploaded')).toHaveLength(1);
  }

  it('uploads a drive over mqtts, trusting the CA in caFile', async () => {
    const before = mqtts.handshakes;
    const { lines, drives } = await runAgent(71, pki.caFile, (_l, ds) => ds[0]?.state === 'complete', 90_000);
    await expectStoredOnce(drives[0]);
    // Through the terminator: a TLS handshake, and the MQTT session over it.
    expect(mqtts.handshakes).toBeGreaterThan(before);
    expect(lines.find((l) => l.msg === 'connected to hub')?.['url']).toBe(`mqtts://127.0.0.1:${mqtts.port}`);
    expect(lines.some((l) => l.msg === 'hub certificate refused' || l.msg === 'chunk send failed')).toBe(false);
  });

  it('uploads a drive over https (MQTT unreachable, the switch rule), trusting the same caFile', async () => {
    const before = https.handshakes;
    const chunksViaHttps = () => t.hub.metrics.render().then((m) => Number(/argus_ingest_chunks_total\{transport="http",duplicate="false"\} (\d+)/.exec(m)?.[1] ?? 0));
    const httpBefore = await chunksViaHttps();
    const { lines, drives } = await runAgent(73, pki.caFile, (_l, ds) => ds[0]?.state === 'complete', 90_000, 'mqtts://127.0.0.1:1');
    await expectStoredOnce(drives[0]);
    expect(https.handshakes).toBeGreaterThan(before);
    expect((await chunksViaHttps()) - httpBefore).toBe(drives[0]?.chunks);
    expect(lines.some((l) => l.msg === 'hub certificate refused' || l.msg === 'chunk send failed')).toBe(false);
  });

  it('refuses the hub when caFile holds another CA, with an error naming the caFile — over mqtts and https', async () => {
    const before = { mqtt: mqtts.handshakes, http: https.handshakes };
    const refusedBoth = (lines: Line[]) => lines.some((l) => l.msg === 'hub certificate refused') && lines.some((l) => l.msg === 'manifest not delivered, retrying' && l['via'] === 'http');
    const { vin, lines, drives } = await runAgent(72, pki.otherCaFile, refusedBoth, 30_000);
    const mqttErr = lines.find((l) => l.msg === 'hub certificate refused');
    expect(mqttErr?.['level']).toBe('error');
    expect(mqttErr?.['code']).toMatch(/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)$/);
    expect(String(mqttErr?.['err'])).toContain(`not signed by the CA in caFile ${pki.otherCaFile}`);
    const httpErr = lines.find((l) => l.msg === 'manifest not delivered, retrying' && l['via'] === 'http');
    expect(String(httpErr?.['err'])).toContain(`the hub's TLS certificate was refused`);
    expect(String(httpErr?.['err'])).toContain(pki.otherCaFile);
    // Nothing got through: no session, no handshake completed, the hub knows no batch of this vehicle.
    expect(lines.some((l) => l.msg === 'connected to hub')).toBe(false);
    expect({ mqtt: mqtts.handshakes, http: https.handshakes }).toEqual(before);
    expect(await t.hub.batches.list({ vin })).toEqual([]);
    expect(drives[0]?.state).not.toBe('complete');
  });
});
