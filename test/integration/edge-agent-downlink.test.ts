import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createLogger, DiagnosisReport, encodeChunkFrame, FirmwareRecommendation, vehicleToken } from '@argus/shared';
import { loadHubConfig, startHub, type Hub, type HubConfig } from '@argus/cloud-hub';
import { AgentDaemon, DownlinkStore, HttpUplink, MqttUplink, parseAgentConfig, readJournal, type AgentConfigInput } from '@argus/edge-agent';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { startLocalServer } from '../support/local-server.js';
import { startTestHub, testLogger } from '../support/test-hub.js';
import { tinyBatch } from '../support/tiny-batch.js';
import { userHeaders } from '../support/user-auth.js';

// Downlink produced while the vehicle is offline: the diagnosis of a drive it
// uploaded over HTTP (MQTT unreachable), and a firmware recommendation the OTA
// team approved meanwhile. The vehicle had a persistent MQTT session before.
// Hub up the whole time: the broker's QoS 1 queue (and the hub's re-send) bring
// both when the vehicle reconnects. Hub restarted while the vehicle is away: the
// embedded broker's queue is gone, and only the hub's re-send of what the
// vehicle never acknowledged (reports.delivered_at, recommendations.delivered_at)
// brings them. Either way the vehicle stores and acknowledges them.
type Line = { msg: string; [k: string]: unknown };
const SECRET = 'downlink-test-secret';

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

describe('downlink sent while the vehicle is offline', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });

  async function scenario(seed: number) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-downlink-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const hubLog = testLogger();
    let cfg: HubConfig = loadHubConfig({}, { dataDir: path.join(dir, 'hub'), httpPort: 0, mqttPort: 0, vehicleSecret: SECRET });
    const hubRef: { hub: Hub } = { hub: await startHub(cfg, hubLog) };
    cleanup.push(() => hubRef.hub.close());
    // Same ports (and data) for a restarted hub.
    cfg = { ...cfg, httpPort: Number(new URL(hubRef.hub.httpUrl).port), mqttPort: Number(new URL(hubRef.hub.mqttUrl).port) };
    const vin = randomVin(Rng.derive(seed, 'vin'), 'T2');
    const recordings = path.join(dir, 'recordings');
    await mkdir(recordings, { recursive: true });
    const lines: Line[] = [];
    const log = createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as Line));
    const agentCfg = (over: Partial<AgentConfigInput> = {}) => parseAgentConfig({
      vin, token: vehicleToken(SECRET, vin), mqttUrl: hubRef.hub.mqttUrl, httpUrl: hubRef.hub.httpUrl, recordingsDir: recordings, stateDir: path.join(dir, 'agent'),
      detect: 'marker', scanIntervalMs: 200, chunkBytes: 256 * 1024, reconnectMinMs: 100, reconnectMaxMs: 1000, ...over,
    });
    const store = new DownlinkStore(agentCfg().stateDir);

    // 1. The vehicle has been online once: persistent session, downlink subscribed.
    const first = await MqttUplink.connect({ vin, token: vehicleToken(SECRET, vin), url: hubRef.hub.mqttUrl, inflight: 1, ackTimeoutMs: 5000, store, log });
    await first.close();

    // 2. In a dead zone for MQTT, it uploads a drive with a fault over HTTP.
    await writeDrive({ out: path.join(recordings, 'a.mcap'), seed, platform: 'T2', vin, firmware: { adcu: '4.5.9' }, faults: [{ code: '0xA001' }], durationS: 150 });
    await writeFile(path.join(recordings, 'a.mcap.done'), '');
    const offline = await AgentDaemon.start(agentCfg({ mqttUrl: `mqtt://127.0.0.1:${await closedPort()}`, httpFallbackAfterMs: 200 }), log);
    const running = offline.run();
    const drive = await until(async () => (await readJournal(agentCfg().stateDir)).find((d) => d.state === 'complete'), 120_000, 'drive uploaded over HTTP');
    await offline.stop();
    await running;
    const batchId = drive.batch_id as string;

    // 3. The hub diagnoses it; the OTA team approves the recommendation. The vehicle is offline.
    const report = await until(() => hubRef.hub.batches.getReport(batchId), 120_000, 'diagnosis on the hub');
    expect(report.status).toBe('fault');
    const ota = await userHeaders(hubRef.hub, 'ota');
    const recs = await until(async () => {
      const r = await fetch(`${hubRef.hub.httpUrl}/api/v1/ota/recommendations?vin=${vin}`, { headers: ota });
      const body = (await r.json()) as { recommendations: { recommendation_id: string }[] };
      return body.recommendations.length ? body.recommendations : null;
    }, 30_000, 'recommendation created');
    const recId = recs[0]!.recommendation_id;
    const ok = await fetch(`${hubRef.hub.httpUrl}/api/v1/ota/recommendations/${recId}/approve`, { method: 'POST', headers: { ...ota, 'content-type': 'application/json' }, body: JSON.stringify({ comment: 'ship it' }) });
    expect(ok.status).toBe(200);
    expect(await store.getReport(batchId)).toBeNull();
    expect(await delivered(hubRef.hub, report.report_id, recId)).toEqual({ report: null, recommendation: null });

    return {
      hubRef, lines, store, report, recId, batchId, stateDir: agentCfg().stateDir,
      async restartHub() {
        await hubRef.hub.close();
        hubRef.hub = await startHub(cfg, hubLog);
      },
      /** The vehicle comes back: the daemon with its normal config (same client id, same state dir). */
      async reconnect() {
        const d = await AgentDaemon.start(agentCfg(), log);
        const r = d.run();
        cleanup.push(async () => {
          await d.stop();
          await r;
        });
      },
    };
  }

  async function delivered(hub: Hub, reportId: string, recId: string) {
    const rep = await hub.db.pool.query<{ delivered_at: Date | null }>('SELECT delivered_at FROM reports WHERE report_id = $1', [reportId]);
    const rec = await hub.db.pool.query<{ delivered_at: Date | null }>('SELECT delivered_at FROM recommendations WHERE recommendation_id = $1', [recId]);
    return { report: rep.rows[0]?.delivered_at ?? null, recommendation: rec.rows[0]?.delivered_at ?? null };
  }

  async function expectReceived(s: Awaited<ReturnType<typeof scenario>>) {
    const got = await until(() => s.store.getReport(s.batchId), 60_000, 'the vehicle to receive the report');
    expect(DiagnosisReport.parse(got)).toEqual(s.report);
    const recs = await until(async () => {
      const all = await s.store.listRecommendations();
      return all.length ? all : null;
    }, 60_000, 'the vehicle to receive the recommendation');
    expect(recs.map((r) => FirmwareRecommendation.parse(r).recommendation_id)).toEqual([s.recId]);
    // …and acknowledged both: the hub records the delivery.
    const d = await until(async () => {
      const x = await delivered(s.hubRef.hub, s.report.report_id, s.recId);
      return x.report && x.recommendation ? x : null;
    }, 30_000, 'delivered_at of report and recommendation');
    expect(d.report).toBeInstanceOf(Date);
    // Stored on the vehicle's disk as the status command reads it.
    expect(JSON.parse(await readFile(path.join(s.stateDir, 'reports', `${s.batchId}.json`), 'utf8'))).toMatchObject({ report_id: s.report.report_id });
  }

  it('hub up all along: the vehicle reconnects on its persistent session and receives both', async () => {
    const s = await scenario(61);
    await s.reconnect();
    await expectReceived(s);
    expect(s.lines.filter((l) => l.msg === 'connected to hub').at(-1)?.['session_present']).toBe(true);
  }, 300_000);

  it('hub restarted while the vehicle was away (queues lost): the hub re-sends what was never acknowledged', async () => {
    const s = await scenario(62);
    await s.restartHub();
    await s.reconnect();
    await expectReceived(s);
    // The restarted broker had no session: the vehicle subscribed afresh, and the hub answered with the re-send.
    expect(s.lines.filter((l) => l.msg === 'connected to hub').at(-1)?.['session_present']).toBe(false);
  }, 300_000);

  it('external broker (MQTT_URL): a vehicle\'s first uplink since the hub started makes the hub re-send what it never acknowledged', async () => {
    // mosquitto without persistence, and the vehicle never connected: the hub's publish of the report found no session.
    const broker = await startLocalServer('mosquitto', (port) => {
      const conf = path.join(os.tmpdir(), `argus-mosquitto-${randomUUID()}.conf`);
      writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', ''].join('\n'));
      return ['-c', conf];
    });
    cleanup.push(() => broker.stop());
    const t = await startTestHub({ mqttUrl: `mqtt://127.0.0.1:${broker.port}`, mqttClientId: `hub-${randomUUID().slice(0, 8)}` });
    cleanup.push(() => t.stop());
    const vin = randomVin(Rng.derive(63, 'vin'), 'T2');
    const token = vehicleToken(t.cfg.vehicleSecret, vin);
    const b = tinyBatch(vin);
    const http = new HttpUplink({ baseUrl: t.hub.httpUrl, vin, token, timeoutMs: 10_000 });
    await http.putManifest(b.manifest, Buffer.from(JSON.stringify(b.manifest)));
    expect((await http.putChunk(encodeChunkFrame(b.envelope, b.data))).ok).toBe(true);
    const report = await until(() => t.hub.batches.getReport(b.batchId), 60_000, 'diagnosis on the hub');

    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'argus-downlink-ext-'));
    cleanup.push(() => rm(stateDir, { recursive: true, force: true }));
    const store = new DownlinkStore(stateDir);
    const up = await MqttUplink.connect({ vin, token, url: t.hub.mqttUrl, inflight: 1, ackTimeoutMs: 5000, store, log: createLogger('silent', {}, () => undefined) });
    cleanup.push(() => up.close());
    await new Promise((r) => setTimeout(r, 1500));
    expect(await store.getReport(b.batchId)).toBeNull(); // connected and subscribed, but the hub cannot see that
    // Its next uplink (here the manifest again, idempotent) is the signal.
    await up.publish('manifest', JSON.stringify(b.manifest));
    const got = await until(() => store.getReport(b.batchId), 30_000, 'the vehicle to receive the report');
    expect(got.report_id).toBe(report.report_id);
    await until(async () => (await t.hub.db.pool.query('SELECT 1 FROM reports WHERE report_id = $1 AND delivered_at IS NOT NULL', [report.report_id])).rowCount, 30_000, 'delivered_at');
  }, 120_000);
});
