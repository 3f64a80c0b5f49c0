import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, createLogger, vehicleToken, type QuarantineRecord } from '@argus/shared';
import { AgentDaemon, formatStatus, parseAgentConfig, readJournal, type AgentConfigInput, type DriveEntry } from '@argus/edge-agent';
import { outboxBytes } from '../../edge-agent/src/outbox-quota.js';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { watchOutbox } from '../support/outbox-watch.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { userHeaders } from '../support/user-auth.js';

// The daemon (`argus-agent run`'s core) in-process against a real hub:
// drive detection, quarantine, HTTP fallback, bandwidth cap, outbox quota.
type Line = { msg: string; [k: string]: unknown };

async function setup(t: TestHub, seed: number, over: Partial<AgentConfigInput> = {}) {
  const work = await mkdtemp(path.join(os.tmpdir(), 'argus-agentd-'));
  const vin = randomVin(Rng.derive(seed, 'vin'), 'J7');
  const recordings = path.join(work, 'recordings');
  await mkdir(recordings, { recursive: true });
  const lines: Line[] = [];
  const log = createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as Line));
  const cfg = parseAgentConfig({
    vin, token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, httpUrl: t.hub.httpUrl, recordingsDir: recordings,
    stateDir: path.join(work, 'state'), detect: 'marker', scanIntervalMs: 200, chunkBytes: 32 * 1024, reconnectMinMs: 100, reconnectMaxMs: 1000, ...over,
  });
  const drive = async (name: string, s: number, durationS = 20) => {
    await writeDrive({ out: path.join(recordings, name), seed: s, platform: 'J7', vin, durationS });
    await writeFile(path.join(recordings, `${name}.done`), '');
  };
  return { work, vin, cfg, lines, log, drive };
}

async function until(pred: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const settled = (ds: DriveEntry[], n: number) => ds.length === n && ds.every((d) => d.state === 'complete' || d.state === 'quarantined');

describe('argus-agent daemon against a real hub', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.stop());

  async function expectOnce(d: DriveEntry) {
    const b = await t.hub.batches.get(d.batch_id as string);
    const ledger = await t.hub.batches.chunks(d.batch_id as string);
    expect(b?.chunks_expected).toBe(d.chunks);
    expect(ledger).toHaveLength(d.chunks as number);
    expect((await t.hub.batches.events(d.batch_id as string)).filter((e) => e.state === 'uploaded')).toHaveLength(1);
    return b;
  }

  it('finds drives that arrived while it was down, quarantines a corrupt one with its reason, uploads the next; status shows it', async () => {
    const s = await setup(t, 41);
    await s.drive('a.mcap', 41);
    await writeFile(path.join(s.cfg.recordingsDir, 'b-corrupt.mcap'), Buffer.from('\x89MCAP0\r\nthis is not a recording'.repeat(50)));
    await writeFile(path.join(s.cfg.recordingsDir, 'b-corrupt.mcap.done'), '');
    await writeFile(path.join(s.cfg.recordingsDir, 'c-still-recording.mcap'), 'partial'); // no marker: not taken
    // The hub logs every quarantine notice it receives: listen on its logger.
    const hubSaw: Record<string, unknown>[] = [];
    const warn = t.log.warn;
    t.log.warn = (msg, f) => {
      if (msg === 'vehicle quarantined a recording') hubSaw.push(f ?? {});
      warn(msg, f);
    };
    const daemon = await AgentDaemon.start(s.cfg, s.log);
    const running = daemon.run();
    await s.drive('d.mcap', 42);
    await until(async () => {
      const ds = await readJournal(s.cfg.stateDir);
      return settled(ds, 3) && ds.every((d) => d.state !== 'quarantined' || d.reported);
    }, 90_000, 'three drives settled, quarantine reported');
    t.log.warn = warn;
    expect(hubSaw).toEqual([expect.objectContaining({ vin: s.vin, recording: 'b-corrupt.mcap' })]);
    expect(String(hubSaw[0]?.['reason'])).toContain(String(hubSaw[0]?.['code']));
    // …and keeps it for operations: GET /api/v1/quarantines (viewer and up).
    const res = await fetch(`${t.hub.httpUrl}${API.quarantines}?vin=${s.vin}`, { headers: await userHeaders(t.hub) });
    expect(res.status).toBe(200);
    const kept = (await res.json()) as { quarantines: QuarantineRecord[] };
    expect(kept.quarantines).toEqual([expect.objectContaining({ vin: s.vin, recording_name: 'b-corrupt.mcap', code: hubSaw[0]?.['code'], reports: 1 })]);
    expect((await fetch(`${t.hub.httpUrl}${API.quarantines}`)).status).toBe(401);
    await daemon.stop();
    await running;
    const ds = await readJournal(s.cfg.stateDir);
    expect(ds.map((d) => `${d.name}:${d.state}`).sort()).toEqual(['a.mcap:complete', 'b-corrupt.mcap:quarantined', 'd.mcap:complete']);
    expect(ds.find((d) => d.name === 'b-corrupt.mcap')?.reason).toMatch(/^[A-Z_]+: /);
    for (const d of ds.filter((x) => x.state === 'complete')) await expectOnce(d);
    expect(s.lines.some((l) => l.msg === 'recording quarantined' && l['recording'] === 'b-corrupt.mcap')).toBe(true);
    const text = formatStatus({ drives: ds, progress: null, outboxBytes: await outboxBytes(s.cfg.stateDir), lastReport: null, recommendations: [] }, Date.now());
    expect(text).toContain('b-corrupt.mcap  quarantined');
    expect(text).toContain('d.mcap  complete');
    expect(await outboxBytes(s.cfg.stateDir)).toBe(0);
  });

  it('uses HTTP when the MQTT port is closed, honours the bandwidth cap and the outbox quota', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const rate = 40_000;
    const quota = 384 * 1024; // below the drive's packed size (~450 kB): topics are dropped, never the quota exceeded
    const s = await setup(t, 43, { mqttUrl: `mqtt://127.0.0.1:${closed}`, httpFallbackAfterMs: 300, bandwidthBytesPerS: rate, outboxQuotaBytes: quota });
    await s.drive('a.mcap', 43, 30);
    const outbox = watchOutbox(s.cfg.stateDir);
    const daemon = await AgentDaemon.start(s.cfg, s.log);
    const running = daemon.run();
    await until(async () => settled(await readJournal(s.cfg.stateDir), 1), 90_000, 'drive complete over HTTP');
    await daemon.stop();
    await running;
    const peak = await outbox.stop();
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(quota);
    const [d] = await readJournal(s.cfg.stateDir);
    expect(d?.state).toBe('complete');
    const b = await expectOnce(d as DriveEntry);
    expect(b?.manifest?.dropped?.length).toBeGreaterThan(0); // the quota did bind
    expect(s.lines.some((l) => l.msg === 'connected to hub')).toBe(false);
    // Bandwidth: bytes sent minus the 1 s burst cannot go faster than the cap.
    const ledger = await t.hub.batches.chunks(d?.batch_id as string);
    const bytes = ledger.reduce((n, c) => n + Number((c as { byte_length?: number }).byte_length ?? 0), 0);
    const start = Date.parse(String(s.lines.find((l) => l.msg === 'upload started')?.['time']));
    const end = Date.parse(String(s.lines.find((l) => l.msg === 'all chunks acknowledged by the hub')?.['time']));
    expect(bytes).toBeGreaterThan(2 * rate);
    expect((end - start) / 1000).toBeGreaterThanOrEqual(((bytes - rate) / rate) * 0.9);
  });

  it('keeps the outbox under its quota by dropping the largest topics, and the hub learns what was dropped', async () => {
    const quota = 128 * 1024;
    const s = await setup(t, 44, { outboxQuotaBytes: quota, bandwidthBytesPerS: 200_000 });
    await s.drive('a.mcap', 44, 40);
    await s.drive('b.mcap', 45, 40);
    const daemon = await AgentDaemon.start(s.cfg, s.log);
    const running = daemon.run();
    let peak = 0;
    await until(async () => {
      peak = Math.max(peak, await outboxBytes(s.cfg.stateDir));
      return settled(await readJournal(s.cfg.stateDir), 2);
    }, 90_000, 'two drives settled under quota');
    await daemon.stop();
    await running;
    expect(peak).toBeLessThanOrEqual(quota);
    const ds = await readJournal(s.cfg.stateDir);
    expect(ds.map((d) => d.state)).toEqual(['complete', 'complete']);
    for (const d of ds) {
      const b = await expectOnce(d);
      const dropped = b?.manifest?.dropped ?? [];
      expect(dropped.length).toBeGreaterThan(0);
      expect(dropped[0]?.reason).toMatch(/^OUTBOX_QUOTA/);
    }
  });
});
