import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReport, FirmwareRecommendation, vehicleToken, vehicleTopic } from '@argus/shared';
import { parseAgentConfig, processDrive } from '@argus/edge-agent';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { userHeaders } from '../support/user-auth.js';
import { launchChromium, SCREENSHOT_DIR } from './browser.js';

// The OTA path in a real browser: an OTA engineer signs in, opens a diagnosed
// drive, sees its chart and report, approves the recommendation; a real MQTT
// client subscribed as the vehicle receives it and acknowledges; the page shows delivery.
describe('dashboard in headless chromium', () => {
  let t: TestHub;
  let browser: Browser;
  let page: Page;
  const vin = randomVin(Rng.derive(31, 'vin'), 'T2');
  const OTA_USER = 'ota-eng';
  const OTA_PASSWORD = 'ota-engineer-password';
  let report: DiagnosisReport;

  beforeAll(async () => {
    t = await startTestHub({ adminPassword: 'e2e-admin-password' });
    await t.hub.web.access.createUser(OTA_USER, 'ota', OTA_PASSWORD);
    // Two more T2 vehicles on affected adcu versions, one on a fixed one: the fleet impact must list exactly the two.
    for (const [v, fw] of [['T2E2EOTHER0000001', '4.5.1'], ['T2E2EOTHER0000002', '4.4.0'], ['T2E2EFIXED0000003', '4.6.2']] as const) {
      await t.hub.db.pool.query(`INSERT INTO vehicles (vin, platform, firmware) VALUES ($1, 'T2', $2::jsonb)`, [v, JSON.stringify({ adcu: fw })]);
    }
    const work = await mkdtemp(path.join(os.tmpdir(), 'argus-dash-'));
    const file = path.join(work, 'drive.mcap');
    await writeDrive({ out: file, seed: 31, platform: 'T2', vin, firmware: { adcu: '4.5.9' }, faults: [{ code: '0xA001' }], durationS: 120 });
    const cfg = parseAgentConfig({ token: vehicleToken(t.cfg.vehicleSecret, vin), mqttUrl: t.hub.mqttUrl, stateDir: path.join(work, 'agent') });
    const out = await processDrive(file, cfg, t.log, { waitForDiagnosisMs: 90_000 });
    if (out.kind !== 'uploaded' || !out.report) throw new Error('drive not diagnosed');
    report = DiagnosisReport.parse(out.report);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the diagnosis created a recommendation from the KB-seeded rule', async () => {
    expect(report.findings[0]?.cause_id).toBe('0xA001-b');
    const res = await fetch(`${t.hub.httpUrl}/api/v1/ota/recommendations?vin=${vin}`, { headers: await userHeaders(t.hub) });
    const body = (await res.json()) as { recommendations: { rule_id: string; status: string; target_version: string; current_version: string }[] };
    expect(body.recommendations).toEqual([expect.objectContaining({ rule_id: 'kb:0xA001-b', status: 'pending', target_version: '4.6.2', current_version: '4.5.9' })]);
  });

  it('fleet impact lists the other vehicles on the affected version, as JSON and CSV', async () => {
    const h = await userHeaders(t.hub);
    const json = (await (await fetch(`${t.hub.httpUrl}/api/v1/ota/impact?cause_id=0xA001-b`, { headers: h })).json()) as { vehicles: { vin: string }[] };
    expect(json.vehicles.map((v) => v.vin).sort()).toEqual([vin, 'T2E2EOTHER0000001', 'T2E2EOTHER0000002'].sort());
    const csv = await (await fetch(`${t.hub.httpUrl}/api/v1/ota/impact?cause_id=0xA001-b&format=csv`, { headers: h })).text();
    expect(csv.split('\r\n')[0]).toBe('vin,platform,component,version,last_seen_at');
    expect(csv).toContain('T2E2EOTHER0000002,T2,adcu,4.4.0,');
  });

  it('fleet and drive lists filter and paginate on the server', async () => {
    const h = await userHeaders(t.hub);
    const get = async (p: string) => (await (await fetch(`${t.hub.httpUrl}${p}`, { headers: h })).json()) as { total: number; drives?: { batch_id: string; fault_code: string }[]; vehicles?: { vin: string; health: string; last_batch_id: string | null }[] };
    const d = await get('/api/v1/drives?state=diagnosed&status=fault&code=0xA001');
    expect(d.total).toBe(1);
    expect(d.drives?.[0]).toMatchObject({ batch_id: report.batch_id, fault_code: '0xA001' });
    expect((await get('/api/v1/drives?state=failed')).total).toBe(0);
    expect((await get(`/api/v1/drives?q=${report.batch_id.slice(0, 8)}`)).total).toBe(1);
    const v = await get('/api/v1/fleet/vehicles?platform=T2&health=fault');
    expect(v.vehicles).toEqual([expect.objectContaining({ vin, health: 'fault', last_batch_id: report.batch_id })]);
    const others = await get('/api/v1/fleet/vehicles?q=E2EOTHER&limit=1');
    expect(others.total).toBe(2);
    expect(others.vehicles).toHaveLength(1);
    expect((await get('/api/v1/fleet/vehicles?q=E2EOTHER&limit=1&offset=1')).vehicles?.[0]?.vin).not.toBe(others.vehicles?.[0]?.vin);
  });

  it('signs in, opens the drive, sees chart and report, approves; the vehicle receives it over MQTT and acknowledges', async () => {
    const sub = await mqtt.connectAsync(t.hub.mqttUrl, { username: vin, password: vehicleToken(t.cfg.vehicleSecret, vin), clientId: `${vin}-ota-listener`, reconnectPeriod: 0 });
    await sub.subscribeAsync(vehicleTopic(vin, 'recommendation'), { qos: 1 });
    const received = new Promise<FirmwareRecommendation>((resolve) => sub.on('message', (_t, p) => resolve(FirmwareRecommendation.parse(JSON.parse(p.toString())))));

    await page.goto(`${t.hub.httpUrl}/app/`);
    await page.fill('input[name=username]', OTA_USER);
    await page.fill('input[name=password]', OTA_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:text("Fleet")');
    await page.waitForSelector(`td:text("${vin}")`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'fleet.png'), fullPage: true });

    await page.click('a[href="#/drives"]');
    await page.waitForSelector('span.muted:text-is("live")'); // the SSE status stream opened with the session cookie
    await page.click(`tr[data-batch="${report.batch_id}"]`);
    await page.waitForSelector('.uplot canvas');
    await page.waitForSelector(`.report h3:has-text("0xA001")`);
    expect(await page.locator('.chart').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'drive.png'), fullPage: true });

    const row = page.locator('tr[data-rec]');
    await row.locator('input').fill('campaign A001-b');
    await row.locator('button:text("Approve")').click();
    await page.waitForSelector('tr[data-rec] .badge.s-approved');

    const rec = await received;
    expect(rec).toMatchObject({ vin, batch_id: report.batch_id, fault_code: '0xA001', cause_id: '0xA001-b', target: { component: 'adcu', version: '4.6.2' }, current_version: '4.5.9', approved_by: OTA_USER });
    await sub.publishAsync(vehicleTopic(vin, 'downlink-ack'), JSON.stringify({ v: 1, kind: 'recommendation', id: rec.recommendation_id, received_at: new Date().toISOString() }), { qos: 1 });
    await sub.endAsync();

    for (let i = 0; i < 100; i++) {
      const r = await t.hub.db.pool.query<{ delivered_at: Date | null }>('SELECT delivered_at FROM recommendations WHERE recommendation_id = $1', [rec.recommendation_id]);
      if (r.rows[0]?.delivered_at) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await page.reload();
    await page.waitForSelector('tr[data-rec] td.delivery:has-text("delivered")');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'drive-approved.png'), fullPage: true });

    const audit = await t.hub.db.pool.query<{ actor: string; action: string; detail: { comment: string } }>("SELECT actor, action, detail FROM audit_log WHERE action = 'recommendation.approve'");
    expect(audit.rows).toEqual([expect.objectContaining({ actor: OTA_USER, detail: expect.objectContaining({ comment: 'campaign A001-b' }) })]);
  });

  it('works at tablet width: OTA, analytics and KB pages render', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${t.hub.httpUrl}/app/#/ota`);
    await page.waitForSelector('h1:text("OTA recommendations")');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'ota-tablet.png'), fullPage: true });
    await page.goto(`${t.hub.httpUrl}/app/#/analytics`);
    await page.waitForSelector('td:has-text("0xA001-b")');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'analytics-tablet.png'), fullPage: true });
    await page.goto(`${t.hub.httpUrl}/app/#/kb`);
    await page.waitForSelector('td:text("0xA001")');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'kb-tablet.png'), fullPage: true });
  });
});
