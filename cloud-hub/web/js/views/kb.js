import { api } from '../api.js';
import { debounce, h, mount } from '../dom.js';

const canEdit = (session) => session.user && (session.user.role === 'ota' || session.user.role === 'admin');

/** Substring match over a fault and its causes (the list is small; filtered in the browser). */
function matches(f, q) {
  const text = [f.code, f.name, f.subsystem, f.symptoms, ...f.causes.flatMap((c) => [c.id, c.root_cause, c.resolution, c.firmware_component])].join(' ').toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w));
}

/** Knowledge base: browse, search with the hub's hybrid retriever, add and edit faults as JSON. */
export async function kbView(main, session) {
  let all = null;
  const list = h('div');
  const results = h('div');
  const editor = h('div');
  const browse = async (q = '') => {
    all ??= (await api('/api/v1/kb/faults')).faults;
    const r = { faults: all.filter((f) => !q || matches(f, q)) };
    mount(list, h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Code', 'Name', 'Subsystem', 'Severity', 'Causes'].map((x) => h('th', {}, x)))),
      h('tbody', {}, r.faults.map((f) => h('tr', { class: 'link', onclick: () => edit(f) }, h('td', {}, f.code), h('td', {}, f.name), h('td', {}, f.subsystem), h('td', {}, f.severity),
        h('td', {}, f.causes.map((c) => `${c.id}: ${c.root_cause}`).join(' · '))))))));
  };
  const search = async (q) => {
    if (!q) return mount(results);
    const r = await api('/api/v1/kb/search', { method: 'POST', body: { text: q, k: 10 } });
    mount(results, h('div', { class: 'card' }, h('p', { class: 'muted' }, `Hybrid search: ${r.hits.length} hits`),
      h('ol', {}, r.hits.map((x) => h('li', {}, h('b', {}, x.passage.title), ` — ${x.passage.body.slice(0, 200)}`,
        h('span', { class: 'muted' }, ` (${x.passage.source_kind}, score ${Number(x.score).toFixed(3)}; ${x.why.join('; ')})`))))));
  };
  const edit = (fault, isNew = false) => {
    const text = h('textarea', { spellcheck: 'false' }, JSON.stringify(fault, null, 2));
    const msg = h('p', { role: 'status' });
    const save = async () => {
      msg.textContent = '';
      try {
        const f = JSON.parse(text.value);
        await api(`/api/v1/kb/faults/${encodeURIComponent(f.code)}`, { method: 'PUT', body: f });
        msg.textContent = `Saved ${f.code}.`;
        all = null;
        await browse();
      } catch (err) { msg.textContent = err.message; msg.className = 'error'; }
    };
    mount(editor, h('div', { class: 'card' }, h('h2', {}, isNew ? 'New fault' : `Fault ${fault.code}`), text,
      canEdit(session) ? h('div', { class: 'row' }, h('button', { class: 'primary', type: 'button', onclick: save }, 'Save'), msg) : h('p', { class: 'muted' }, 'Read only (OTA engineers edit).')));
    editor.scrollIntoView({ behavior: 'smooth' });
  };
  const blank = { code: '0x', name: '', subsystem: '', severity: 'minor', platforms: ['J7', 'K1', 'T2'], symptoms: '', signature: [{ kind: 'gap', topic: '/topic', role: 'primary', min_gap_ms: 500 }],
    causes: [{ id: '0x-a', platforms: ['J7', 'K1', 'T2'], firmware_component: '', affected_versions: '*', root_cause: '', resolution: '', recommended_firmware: null }] };
  mount(main, h('h1', {}, 'Knowledge base'),
    h('div', { class: 'filters' },
      h('input', { type: 'search', placeholder: 'Filter faults…', oninput: debounce((e) => browse(e.target.value)) }),
      h('input', { type: 'search', placeholder: 'Search (hybrid)…', onchange: (e) => search(e.target.value) }),
      canEdit(session) ? h('button', { type: 'button', onclick: () => edit(blank, true) }, 'Add fault') : null),
    results, list, editor);
  await browse();
}
