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
// drive, sees its chart and report, rejects one recommendation (nothing reaches
// the vehicle) and approves the other; a real MQTT client subscribed as the
// vehicle receives it and acknowledges; the page shows delivery. Then the
// knowledge base (hybrid search, add and edit a fault) and fleet analytics,
// whose rows must be those of the two drives diagnosed here.
describe('dashboard in headless chromium', () => {
  let t: TestHub;
  let browser: Browser;
  let page: Page;
  const vin = randomVin(Rng.derive(31, 'vin'), 'T2');
  /** A second vehicle and drive (J7, 0x8004, no recommendation) so analytics has two cohorts to tell apart. */
  const vinJ7 = randomVin(Rng.derive(12, 'vin'), 'J7');
  const OTA_USER = 'ota-eng';
  const OTA_PASSWORD = 'ota-engineer-password';
  /** An OTA team rule besides the KB-seeded one: the T2 diagnosis matches both; this one gets rejected. */
  const GATEWAY_RULE = {
    fault_code: '0xA001', cause_id: '0xA001-b', platforms: ['T2'], firmware_component: 'adcu', affected_versions: '<4.6.0',
    target_component: 'gateway', target_version: '1.9.2', note: 'gateway campaign (e2e)', enabled: true,
  };
  let report: DiagnosisReport;
  let reportJ7: DiagnosisReport;
  /** Recommendation ids of the T2 drive, by rule. */
  const recId = { kb: '', gateway: '' };
  /** Every recommendation the vehicle's MQTT client received, in order. */
  const received: FirmwareRecommendation[] = [];
  let vehicleClient: mqtt.MqttClient | undefined;

  beforeAll(async () => {
    t = await startTestHub({ adminPassword: 'e2e-admin-password' });
    await t.hub.web.access.createUser(OTA_USER, 'ota', OTA_PASSWORD);
    // Two more T2 vehicles on affected adcu versions, one on a fixed one: the fleet impact must list exactly the two.
    for (const [v, fw] of [['T2E2EOTHER0000001', '4.5.1'], ['T2E2EOTHER0000002', '4.4.0'], ['T2E2EFIXED0000003', '4.6.2']] as const) {
      await t.hub.db.pool.query(`INSERT INTO vehicles (vin, platform, firmware) VALUES ($1, 'T2', $2::jsonb)`, [v, JSON.stringify({ adcu: fw })]);
    }
    const rule = await fetch(`${t.hub.httpUrl}/api/v1/ota/rules/e2e-gateway`, {
      method: 'PUT', headers: { ...(await userHeaders(t.hub, 'ota')), 'content-type': 'application/json' }, body: JSON.stringify(GATEWAY_RULE),
    });
    if (rule.status !== 200) throw new Error(`rule not stored: ${rule.status}`);
    const work = await mkdtemp(path.join(os.tmpdir(), 'argus-dash-'));
    const drive = async (v: string, seed: number, platform: 'T2' | 'J7', firmware: Record<string, string>, code: string): Promise<DiagnosisReport> => {
      const file = path.join(work, `${v}.mcap`);
      await writeDrive({ out: file, seed, platform, vin: v, firmware, faults: [{ code }], durationS: 120 });
      const cfg = parseAgentConfig({ token: vehicleToken(t.cfg.vehicleSecret, v), mqttUrl: t.hub.mqttUrl, stateDir: path.join(work, `agent-${v}`) });
      const out = await processDrive(file, cfg, t.log, { waitForDiagnosisMs: 90_000 });
      if (out.kind !== 'uploaded' || !out.report) throw new Error(`drive of ${v} not diagnosed`);
      return DiagnosisReport.parse(out.report);
    };
    [report, reportJ7] = await Promise.all([drive(vin, 31, 'T2', { adcu: '4.5.9' }, '0xA001'), drive(vinJ7, 12, 'J7', { lidar_front: '3.1.4' }, '0x8004')]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await vehicleClient?.endAsync();
    await browser?.close();
    await t?.stop();
  });

  it('the diagnosis created a recommendation per matching rule (KB-seeded and the OTA team\'s)', async () => {
    // Findings with a code are what analytics counts (anomalies without one are not).
    const coded = (r: DiagnosisReport) => r.findings.filter((f) => f.code).map((f) => [f.code, f.cause_id]);
    expect(coded(report)).toEqual([['0xA001', '0xA001-b']]);
    expect(coded(reportJ7)).toEqual([['0x8004', '0x8004-a']]);
    const h = await userHeaders(t.hub);
    const res = await fetch(`${t.hub.httpUrl}/api/v1/ota/recommendations?vin=${vin}`, { headers: h });
    const body = (await res.json()) as { recommendations: { recommendation_id: string; rule_id: string; status: string; target_version: string; current_version: string }[] };
    const recs = [...body.recommendations].sort((a, b) => a.rule_id.localeCompare(b.rule_id));
    expect(recs).toEqual([
      expect.objectContaining({ rule_id: 'e2e-gateway', status: 'pending', target_version: '1.9.2', current_version: '1.8.4' }),
      expect.objectContaining({ rule_id: 'kb:0xA001-b', status: 'pending', target_version: '4.6.2', current_version: '4.5.9' }),
    ]);
    recId.gateway = recs[0]!.recommendation_id;
    recId.kb = recs[1]!.recommendation_id;
    const j7 = (await (await fetch(`${t.hub.httpUrl}/api/v1/ota/recommendations?vin=${vinJ7}`, { headers: h })).json()) as { total: number };
    expect(j7.total).toBe(0); // 0x8004-a has no recommended firmware and no rule
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

  it('signs in and opens the diagnosed drive: chart and report', async () => {
    // The vehicle listens from here on: every recommendation pushed to it is collected.
    vehicleClient = await mqtt.connectAsync(t.hub.mqttUrl, { username: vin, password: vehicleToken(t.cfg.vehicleSecret, vin), clientId: `${vin}-ota-listener`, reconnectPeriod: 0 });
    await vehicleClient.subscribeAsync(vehicleTopic(vin, 'recommendation'), { qos: 1 });
    vehicleClient.on('message', (_t, p) => received.push(FirmwareRecommendation.parse(JSON.parse(p.toString()))));

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
    expect(await page.locator('tr[data-rec] .badge.s-pending').count()).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'drive.png'), fullPage: true });
  });

  it('rejects a recommendation with a comment: who and when recorded, audited, nothing sent to the vehicle', async () => {
    const t0 = Date.now() - 1000;
    const row = page.locator(`tr[data-rec="${recId.gateway}"]`);
    await row.locator('input').fill('gateway 1.9.2 not cleared for T2');
    await row.locator('button:text("Reject")').click();
    await page.waitForSelector(`tr[data-rec="${recId.gateway}"] .badge.s-rejected`);
    // The page shows who decided and the comment; the rejected row offers no buttons, the other is still pending.
    expect(await row.textContent()).toContain(`by ${OTA_USER}`);
    expect(await row.textContent()).toContain('“gateway 1.9.2 not cleared for T2”');
    expect(await row.locator('button').count()).toBe(0);
    expect(await page.locator(`tr[data-rec="${recId.kb}"] .badge.s-pending`).count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'drive-rejected.png'), fullPage: true });

    const h = await userHeaders(t.hub);
    const rec = (await (await fetch(`${t.hub.httpUrl}/api/v1/ota/recommendations/${recId.gateway}`, { headers: h })).json()) as Record<string, string | null>;
    expect(rec).toMatchObject({ status: 'rejected', decided_by: OTA_USER, comment: 'gateway 1.9.2 not cleared for T2', sent_at: null, delivered_at: null });
    expect(Date.parse(rec['decided_at']!)).toBeGreaterThanOrEqual(t0);
    expect(Date.parse(rec['decided_at']!)).toBeLessThanOrEqual(Date.now());
    // Decided is final: it can be neither approved (pushed) nor rejected again.
    const ota = { ...(await userHeaders(t.hub, 'ota')), 'content-type': 'application/json' };
    for (const what of ['approve', 'reject']) {
      const r = await fetch(`${t.hub.httpUrl}/api/v1/ota/recommendations/${recId.gateway}/${what}`, { method: 'POST', headers: ota, body: '{}' });
      expect(r.status).toBe(409);
    }
    const audit = await t.hub.db.pool.query<{ actor: string; action: string; target: string; detail: { comment: string; vin: string } }>(
      "SELECT actor, action, target, detail FROM audit_log WHERE target = $1 ORDER BY id", [`recommendation:${recId.gateway}`]);
    expect(audit.rows).toEqual([{ actor: OTA_USER, action: 'recommendation.reject', target: `recommendation:${recId.gateway}`, detail: expect.objectContaining({ vin, comment: 'gateway 1.9.2 not cleared for T2' }) }]);
  });

  it('approves the other; the vehicle receives only that one over MQTT and acknowledges; the page shows delivery', async () => {
    const row = page.locator(`tr[data-rec="${recId.kb}"]`);
    await row.locator('input').fill('campaign A001-b');
    await row.locator('button:text("Approve")').click();
    await page.waitForSelector(`tr[data-rec="${recId.kb}"] .badge.s-approved`);

    for (let i = 0; i < 100 && !received.some((r) => r.recommendation_id === recId.kb); i++) await new Promise((res) => setTimeout(res, 100));
    // One QoS 1 topic, delivered in publish order: had the rejection been pushed, it would be here, before the approval.
    expect(received.map((r) => r.recommendation_id)).toEqual([recId.kb]);
    const rec = received[0]!;
    expect(rec).toMatchObject({ vin, batch_id: report.batch_id, fault_code: '0xA001', cause_id: '0xA001-b', target: { component: 'adcu', version: '4.6.2' }, current_version: '4.5.9', approved_by: OTA_USER });
    await vehicleClient!.publishAsync(vehicleTopic(vin, 'downlink-ack'), JSON.stringify({ v: 1, kind: 'recommendation', id: rec.recommendation_id, received_at: new Date().toISOString() }), { qos: 1 });
    await vehicleClient!.endAsync();
    vehicleClient = undefined;

    for (let i = 0; i < 100; i++) {
      const r = await t.hub.db.pool.query<{ delivered_at: Date | null }>('SELECT delivered_at FROM recommendations WHERE recommendation_id = $1', [rec.recommendation_id]);
      if (r.rows[0]?.delivered_at) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await page.reload();
    await page.waitForSelector(`tr[data-rec="${recId.kb}"] td.delivery:has-text("delivered")`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'drive-approved.png'), fullPage: true });

    const audit = await t.hub.db.pool.query<{ actor: string; action: string; detail: { comment: string } }>("SELECT actor, action, detail FROM audit_log WHERE action = 'recommendation.approve'");
    expect(audit.rows).toEqual([expect.objectContaining({ actor: OTA_USER, detail: expect.objectContaining({ comment: 'campaign A001-b' }) })]);
  });

  it('knowledge base: hybrid search; a fault added and edited through the UI is stored, searchable and audited', async () => {
    await page.goto(`${t.hub.httpUrl}/app/#/kb`);
    await page.waitForSelector('td:text-is("0xA001")');
    const search = page.locator('input[placeholder="Search (hybrid)…"]');
    await search.fill('fan curve duty');
    await search.press('Enter');
    // The cause passage of 0xA001-b, found by both halves of the hybrid retriever.
    const hit = page.locator('ol li', { hasText: '0xA001 CPU_THERMAL_THROTTLE: cause 0xA001-b' });
    await hit.waitFor();
    expect(await hit.textContent()).toMatch(/vector rank \d+ .*text rank \d+ /);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'kb-search.png'), fullPage: true });

    const fault = {
      code: '0xE2E1', name: 'E2E_WOMBAT_STALL', subsystem: 'perception', severity: 'minor', platforms: ['T2'],
      symptoms: 'The wombat sensor stops publishing.', signature: [{ kind: 'gap', topic: '/wombat', role: 'primary', min_gap_ms: 500 }],
      causes: [{ id: '0xE2E1-a', platforms: ['T2'], firmware_component: 'gateway', affected_versions: '*', root_cause: 'Loose wombat harness.', resolution: 'Reseat the wombat harness.', recommended_firmware: null }],
    };
    await page.click('button:text("Add fault")');
    await page.waitForSelector('h2:text-is("New fault")');
    await page.locator('textarea').fill(JSON.stringify(fault, null, 2));
    await page.click('button:text-is("Save")');
    await page.waitForSelector('p[role=status]:text-is("Saved 0xE2E1.")');

    // Find it with the list filter, open it, edit name and symptoms.
    await page.fill('input[placeholder="Filter faults…"]', 'wombat');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.click('td:text-is("0xE2E1")');
    await page.waitForSelector('h2:text-is("Fault 0xE2E1")');
    const shown = JSON.parse(await page.locator('textarea').inputValue()) as typeof fault;
    expect(shown).toEqual(fault);
    const edited = { ...fault, name: 'E2E_WOMBAT_STALL_V2', symptoms: 'The wombat sensor stops publishing when the quokka relay overheats.' };
    await page.locator('textarea').fill(JSON.stringify(edited, null, 2));
    await page.click('button:text-is("Save")');
    await page.waitForSelector('td:text-is("E2E_WOMBAT_STALL_V2")');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'kb-edit.png'), fullPage: true });

    const stored = await (await fetch(`${t.hub.httpUrl}/api/v1/kb/faults/0xE2E1`, { headers: await userHeaders(t.hub) })).json();
    expect(stored).toEqual(edited);
    const audit = await t.hub.db.pool.query<{ actor: string; action: string; detail: { before: unknown; after: unknown } }>(
      "SELECT actor, action, detail FROM audit_log WHERE target = 'kb:faults/0xE2E1' ORDER BY id");
    expect(audit.rows).toEqual([
      { actor: OTA_USER, action: 'kb.put', detail: { before: null, after: fault } },
      { actor: OTA_USER, action: 'kb.put', detail: { before: fault, after: edited } },
    ]);

    // The edit is searchable: only the new symptoms mention the quokka relay.
    await search.fill('quokka relay');
    await search.press('Enter');
    await page.locator('ol li', { hasText: '0xE2E1 E2E_WOMBAT_STALL_V2' }).first().waitFor();
  });

  it('fleet analytics shows the two diagnosed drives: by platform, by firmware, cohorts', async () => {
    await page.goto(`${t.hub.httpUrl}/app/#/analytics`);
    await page.waitForSelector('h1:text("Fleet analytics")');
    const rows = async (sel: string): Promise<string[][]> => {
      const trs = page.locator(sel);
      const out: string[][] = [];
      for (let i = 0; i < (await trs.count()); i++) out.push((await trs.nth(i).locator('td').allTextContents()).map((x) => x.trim()));
      return out.sort((a, b) => a.join('|').localeCompare(b.join('|')));
    };
    expect(await rows('div.card:has(h3:text-is("By platform")) tbody tr')).toEqual([['0x8004', 'J7', '1'], ['0xA001', 'T2', '1']]);
    expect(await rows('div.card:has(h3:text-is("By firmware")) tbody tr')).toEqual([['0x8004', 'lidar_front 3.1.4', '1'], ['0xA001', 'adcu 4.5.9', '1']]);
    const kb = (await (await fetch(`${t.hub.httpUrl}/api/v1/kb/faults`, { headers: await userHeaders(t.hub) })).json()) as { faults: { causes: { id: string; root_cause: string }[] }[] };
    const rootCause = (id: string) => kb.faults.flatMap((f) => f.causes).find((c) => c.id === id)?.root_cause;
    // Cause, root cause, vehicles, drives, platforms, firmware, export link.
    expect(await rows('.table-wrap tbody tr')).toEqual([
      ['0x8004 0x8004-a', rootCause('0x8004-a'), '1', '1', 'J7', 'lidar_front 3.1.4', 'fleet CSV'],
      ['0xA001 0xA001-b', rootCause('0xA001-b'), '1', '1', 'T2', 'adcu 4.5.9', 'fleet CSV'],
    ]);
    // One line per fault code in the faults-per-day chart.
    const legend = await page.locator('.u-legend').textContent();
    expect(legend).toContain('0xA001');
    expect(legend).toContain('0x8004');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'analytics.png'), fullPage: true });
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
