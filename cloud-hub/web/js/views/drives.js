import { api, qs } from '../api.js';
import { badge, debounce, h, mount, pager, when } from '../dom.js';

/** Drives, newest first, paginated on the server; states update live from the hub's SSE stream. */
export async function drivesView(main) {
  const state = { q: '', state: '', status: '', offset: 0 };
  const body = h('div');
  const rows = new Map();
  const load = async () => {
    const r = await api(`/api/v1/drives${qs({ q: state.q, state: state.state, status: state.status, limit: 50, offset: state.offset })}`);
    rows.clear();
    mount(body,
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Drive'), h('th', {}, 'VIN'), h('th', { class: 'opt' }, 'Platform'), h('th', {}, 'State'), h('th', { class: 'opt' }, 'Chunks'), h('th', {}, 'Result'), h('th', {}, 'Uploaded'))),
        h('tbody', {}, r.drives.map((d) => {
          const st = h('td', {}, badge(d.state));
          const ch = h('td', { class: 'opt' }, `${d.chunks_stored}/${d.chunks_expected ?? '?'}`);
          rows.set(d.batch_id, { st, ch });
          return h('tr', { class: 'link', 'data-batch': d.batch_id, onclick: () => { location.hash = `#/drives/${d.batch_id}`; } },
            h('td', {}, d.batch_id.slice(0, 8)), h('td', {}, d.vin), h('td', { class: 'opt' }, d.platform ?? '—'), st, ch,
            h('td', {}, d.status ? badge(d.status) : '—', ' ', d.fault_code ? `${d.fault_code} ${d.fault_name ?? ''}` : ''), h('td', {}, when(d.created_at)));
        })))),
      pager(r, (o) => { state.offset = o; load(); }));
  };
  const search = h('input', { type: 'search', placeholder: 'VIN or drive id…', oninput: debounce((e) => { state.q = e.target.value; state.offset = 0; load(); }) });
  const st = h('select', { onchange: (e) => { state.state = e.target.value; state.offset = 0; load(); } },
    ['', 'uploading', 'uploaded', 'gathering', 'diagnosing', 'diagnosed', 'failed'].map((s) => h('option', { value: s }, s || 'Any state')));
  const status = h('select', { onchange: (e) => { state.status = e.target.value; state.offset = 0; load(); } },
    ['', 'fault', 'healthy', 'unknown'].map((s) => h('option', { value: s }, s || 'Any result')));
  const live = h('span', { class: 'muted' }, 'live: connecting…');
  mount(main, h('h1', {}, 'Drives'), h('div', { class: 'filters' }, search, st, status, live), body);
  await load();
  // Live pipeline status (SSE, GET /api/v1/events); a drive not on this page triggers a reload of the first page.
  const es = new EventSource('/api/v1/events');
  es.onopen = () => { live.textContent = 'live'; };
  es.onerror = () => { live.textContent = 'live: reconnecting…'; };
  const reload = debounce(() => { if (state.offset === 0) load(); }, 1000);
  es.addEventListener('status', (m) => {
    const e = JSON.parse(m.data);
    const row = rows.get(e.batch_id);
    if (!row) return reload();
    row.st.replaceChildren(badge(e.state));
    row.ch.textContent = `${e.chunks_stored}/${e.chunks_expected ?? '?'}`;
    if (e.state === 'diagnosed') reload();
  });
  return () => es.close();
}
