/**
 * `npm run bench:read` — the report read path under load, on the embedded hub.
 * 1. 100 concurrent GET /api/v1/batches/:id/diagnosis for one cold report,
 *    counting database queries (the pool is wrapped to count every query).
 * 2. 1,000 requests spread over 100 warm reports, 10 in flight at a time
 *    (BENCH_CONCURRENCY, default 10; the load generator shares the hub's process).
 * 3. The dashboard's list pages with 1,000 drives (and 500 vehicles) in the database.
 * Prints p50/p99 latency, query counts and whether the issue's targets are met
 * (TARGETS); the last line is JSON.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@argus/shared';
import { loadHubConfig, startHub } from '../src/index.js';

const REPORTS = 100;
const COLD_BURST = 100;
const WARM_REQUESTS = 1000;
/** In-flight warm requests at a time (BENCH_CONCURRENCY, default 10); the load generator shares this process with the hub. */
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 10);
/** Targets of issue 7: the cold burst costs exactly one database query; warm p99 ≤ 50 ms. */
const TARGETS = { coldBurstDbQueries: 1, warmP99Ms: 50 } as const;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-bench-read-'));
const cfg = loadHubConfig(process.env, { dataDir: path.join(dir, 'hub'), httpPort: 0, mqttPort: 0, logLevel: 'silent', adminPassword: 'bench-admin-password' });
const hub = await startHub(cfg, createLogger('silent', {}, () => undefined));
try {
  // Seed: one cold report plus REPORTS warm ones (batch + report rows, as the pipeline writes them).
  const ids = Array.from({ length: REPORTS + 1 }, () => randomUUID());
  for (const [i, id] of ids.entries()) {
    const vin = `BENCH${String(i).padStart(12, '0')}`;
    await hub.db.pool.query(`INSERT INTO batches (batch_id, vin, platform, state) VALUES ($1, $2, 'T2', 'diagnosed')`, [id, vin]);
    await hub.batches.putReport({
      v: 1, report_id: `rep-${id}`, batch_id: id, vin, platform: 'T2', status: 'fault', summary: 'bench report', engine: 'bench', created_at: new Date().toISOString(),
      findings: [{ code: '0xA001', name: 'CPU_THERMAL_THROTTLE', cause_id: '0xA001-b', confidence: 0.9, root_cause: 'fan curve', resolution: 'update', recommended_firmware: { component: 'adcu', version: '4.6.2' }, consequences: [], evidence: Array.from({ length: 8 }, (_, k) => ({ kind: 'signal' as const, topic: '/diagnostics', t_start_s: k, t_end_s: k + 1, text: 'x'.repeat(80) })) }],
      trace: Array.from({ length: 9 }, (_, k) => ({ step: `step-${k}`, ms: 1, detail: { k } })),
    });
  }
  const u = await hub.web.access.createUser('bench-viewer', 'viewer', 'bench-viewer-password');
  const { token } = await hub.web.access.issueToken(u!.user_id, 'bench');
  const headers = { authorization: `Bearer ${token}` };
  const get = async (id: string): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${hub.httpUrl}/api/v1/batches/${id}/diagnosis`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET diagnosis ${id}: ${res.status}`);
    return performance.now() - t0;
  };
  await fetch(`${hub.httpUrl}/api/v1/auth/me`, { headers }); // the token lookup is cached from here on

  // Count every query the pool runs.
  const pool = hub.db.pool as unknown as { query: (...a: unknown[]) => unknown };
  const original = pool.query.bind(pool);
  let queries = 0;
  pool.query = (...a: unknown[]) => { queries++; return original(...a); };

  const cold = ids[0]!;
  const coldLat = (await Promise.all(Array.from({ length: COLD_BURST }, () => get(cold)))).sort((a, b) => a - b);
  const coldQueries = queries;

  const warm = ids.slice(1);
  await Promise.all(warm.map((id) => get(id)));
  queries = 0;
  const lat: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < WARM_REQUESTS) {
      const i = next++;
      lat.push(await get(warm[i % warm.length]!));
    }
  }));
  lat.sort((a, b) => a - b);
  const warmQueries = queries;
  pool.query = original;

  // Dashboard pages with 1,000 drives: bulk-seed the rest (vehicles, batches, reports) in SQL.
  const more = 1000 - ids.length;
  await hub.db.pool.query(`INSERT INTO vehicles (vin, platform, firmware)
    SELECT 'DASH' || lpad(i::text, 13, '0'), (ARRAY['J7','K1','T2'])[1 + i % 3], jsonb_build_object('adcu', '4.' || (i % 8) || '.0') FROM generate_series(1, 500) i`);
  await hub.db.pool.query(`WITH b AS (
      INSERT INTO batches (batch_id, vin, platform, state, created_at)
      SELECT gen_random_uuid(), 'DASH' || lpad((1 + i % 500)::text, 13, '0'), (ARRAY['J7','K1','T2'])[1 + (1 + i % 500) % 3], 'diagnosed', now() - (i || ' hours')::interval
        FROM generate_series(1, $1::int) i RETURNING batch_id, vin, platform, created_at)
    INSERT INTO reports (report_id, batch_id, vin, status, report, created_at)
    SELECT 'rep-' || batch_id, batch_id, vin, 'fault', (SELECT report FROM reports LIMIT 1) || jsonb_build_object('batch_id', batch_id, 'vin', vin, 'platform', platform), created_at FROM b`, [more]);
  const pages: Record<string, string> = {
    drives_page1: '/api/v1/drives?limit=50', drives_page10: '/api/v1/drives?limit=50&offset=450', drives_search: '/api/v1/drives?q=DASH0000000000042',
    vehicles_page1: '/api/v1/fleet/vehicles?limit=50', summary: '/api/v1/fleet/summary', faults: '/api/v1/analytics/faults?days=365', cohorts: '/api/v1/analytics/cohorts',
    drive: `/api/v1/drives/${warm[0]}`, app_html: '/app/',
  };
  const dashboard: Record<string, number> = {};
  for (const [name, url] of Object.entries(pages)) {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const res = await fetch(`${hub.httpUrl}${url}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
      times.push(performance.now() - t0);
    }
    dashboard[name] = +pct(times.sort((a, b) => a - b), 50).toFixed(1);
  }
  const warmP99 = +pct(lat, 99).toFixed(2);
  const coldMet = coldQueries === TARGETS.coldBurstDbQueries;
  const warmMet = warmP99 <= TARGETS.warmP99Ms;
  const result = {
    cold_burst_requests: COLD_BURST, cold_burst_db_queries: coldQueries, cold_p50_ms: +pct(coldLat, 50).toFixed(2), cold_p99_ms: +pct(coldLat, 99).toFixed(2),
    warm_requests: WARM_REQUESTS, warm_reports: warm.length, warm_db_queries: warmQueries, warm_p50_ms: +pct(lat, 50).toFixed(2), warm_p99_ms: warmP99,
    concurrency: CONCURRENCY, cache: cfg.redisUrl ? 'redis' : 'lru', dashboard_p50_ms_1000_drives: dashboard,
    cold_burst_target_met: coldMet, warm_p99_target_met: warmMet, targets_met: coldMet && warmMet,
  };
  const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  process.stdout.write(`cold burst: ${COLD_BURST} concurrent requests for one report → ${coldQueries} database quer${coldQueries === 1 ? 'y' : 'ies'} (p50 ${result.cold_p50_ms} ms, p99 ${result.cold_p99_ms} ms)\n`);
  process.stdout.write(`warm: ${WARM_REQUESTS} requests over ${warm.length} reports, concurrency ${CONCURRENCY} → p50 ${result.warm_p50_ms} ms, p99 ${result.warm_p99_ms} ms, ${warmQueries} database queries\n`);
  process.stdout.write(`targets: cold burst db queries ${coldQueries} (want ${TARGETS.coldBurstDbQueries}) ${met(coldMet)}; `
    + `warm p99 ${warmP99} ms (want ≤ ${TARGETS.warmP99Ms} ms) ${met(warmMet)}\n`);
  process.stdout.write(`dashboard with 1,000 drives, p50 ms: ${Object.entries(dashboard).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
}
