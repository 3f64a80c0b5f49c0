/* global uPlot */
import { api, qs } from '../api.js';
import { h, mount } from '../dom.js';

/** Fleet analytics: faults by code over time (chart), by platform and firmware (tables), and cohorts sharing a cause. */
export async function analyticsView(main) {
  const [f, c] = await Promise.all([api(`/api/v1/analytics/faults${qs({ bucket: 'day', days: 365 })}`), api('/api/v1/analytics/cohorts')]);
  const buckets = [...new Set(f.rows.map((r) => r.bucket))].sort();
  const codes = [...new Set(f.rows.map((r) => r.code))].sort();
  const count = (pred) => f.rows.filter(pred).reduce((n, r) => n + r.n, 0);
  const byKey = (key) => {
    const m = new Map();
    for (const r of f.rows) { const k = `${r.code}|${key(r)}`; m.set(k, (m.get(k) ?? 0) + r.n); }
    return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50).map(([k, n]) => [...k.split('|'), n]);
  };
  const chartEl = h('div', { class: 'chart' });
  mount(main,
    h('h1', {}, 'Fleet analytics'),
    h('h2', {}, 'Faults per day'), buckets.length ? chartEl : h('p', { class: 'muted' }, 'No faults yet.'),
    h('div', { class: 'charts' },
      table('By platform', ['Code', 'Platform', 'Findings'], byKey((r) => r.platform)),
      table('By firmware', ['Code', 'Firmware', 'Findings'], byKey((r) => (r.component ? `${r.component} ${r.version ?? '?'}` : '—')))),
    h('h2', {}, 'Cohorts sharing a cause'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Cause', 'Root cause', 'Vehicles', 'Drives', 'Platforms', 'Firmware', 'Impact'].map((x) => h('th', {}, x)))),
      h('tbody', {}, c.cohorts.map((x) => h('tr', {}, h('td', {}, `${x.code} ${x.cause_id}`), h('td', {}, x.root_cause ?? '—'), h('td', {}, x.vehicles), h('td', {}, x.drives),
        h('td', {}, (x.platforms ?? []).join(', ')), h('td', {}, `${x.component ?? ''} ${(x.versions ?? []).join(', ')}`),
        h('td', {}, h('a', { href: `/api/v1/ota/impact${qs({ cause_id: x.cause_id, format: 'csv' })}` }, 'fleet CSV'))))))));
  if (buckets.length) {
    const xs = buckets.map((b) => Date.parse(b) / 1000);
    const data = [xs, ...codes.map((code) => buckets.map((b) => count((r) => r.bucket === b && r.code === code)))];
    const plot = new uPlot({ width: Math.max(280, chartEl.clientWidth - 16), height: 240,
      scales: { x: { range: (_u, min, max) => (min === max ? [min - 86400, max + 86400] : [min, max]) } }, series: [{}, ...codes.map((code, i) => ({ label: code, stroke: `hsl(${(i * 67) % 360} 70% 45%)`, width: 1.5, points: { show: true, size: 8, fill: `hsl(${(i * 67) % 360} 70% 45%)` } }))] }, data, chartEl);
    return () => plot.destroy();
  }
  return null;
}

function table(title, head, rows) {
  return h('div', { class: 'card' }, h('h3', {}, title), h('table', {}, h('thead', {}, h('tr', {}, head.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x) => h('td', {}, x)))))));
}
