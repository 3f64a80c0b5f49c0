import { api, qs } from '../api.js';
import { badge, debounce, h, mount, pager, when } from '../dom.js';

/** Fleet overview: counters, then vehicles with platform, firmware, last drive, health; search and filters. */
export async function fleetView(main) {
  const state = { q: '', platform: '', health: '', offset: 0 };
  const stats = h('div', { class: 'grid' });
  const body = h('div');
  const load = async () => {
    const r = await api(`/api/v1/fleet/vehicles${qs({ q: state.q, platform: state.platform, health: state.health, limit: 50, offset: state.offset })}`);
    mount(body,
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'VIN'), h('th', {}, 'Platform'), h('th', { class: 'opt' }, 'Firmware'), h('th', {}, 'Last drive'), h('th', {}, 'Health'), h('th', {}, 'Last fault'))),
        h('tbody', {}, r.vehicles.map((v) => h('tr', { class: v.last_batch_id ? 'link' : '', onclick: () => { if (v.last_batch_id) location.hash = `#/drives/${v.last_batch_id}`; } },
          h('td', {}, v.vin), h('td', {}, v.platform ?? '—'),
          h('td', { class: 'opt' }, Object.entries(v.firmware ?? {}).map(([k, x]) => `${k} ${x}`).join(', ') || '—'),
          h('td', {}, when(v.last_drive_at)), h('td', {}, badge(v.health)), h('td', {}, v.last_fault ?? '—')))))),
      pager(r, (o) => { state.offset = o; load(); }));
  };
  const s = await api('/api/v1/fleet/summary');
  mount(stats, [['Vehicles', s.vehicles], ['Drives', s.drives], ['Fault reports', s.faults], ['In flight', s.in_flight], ['Pending OTA', s.pending_recommendations]]
    .map(([k, v]) => h('div', { class: 'card stat' }, h('b', {}, v), k)));
  const search = h('input', { type: 'search', placeholder: 'Search VIN…', oninput: debounce((e) => { state.q = e.target.value; state.offset = 0; load(); }) });
  const platform = h('select', { onchange: (e) => { state.platform = e.target.value; state.offset = 0; load(); } }, ['', 'J7', 'K1', 'T2'].map((p) => h('option', { value: p }, p || 'All platforms')));
  const health = h('select', { onchange: (e) => { state.health = e.target.value; state.offset = 0; load(); } }, ['', 'fault', 'healthy', 'unknown', 'none'].map((p) => h('option', { value: p }, p || 'Any health')));
  mount(main, h('h1', {}, 'Fleet'), stats, h('div', { class: 'filters' }, search, platform, health), body);
  await load();
}
