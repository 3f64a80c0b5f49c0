/* global alert */
import { api, qs } from '../api.js';
import { badge, h, mount, pager, when } from '../dom.js';

const canDecide = (session) => session.user && (session.user.role === 'ota' || session.user.role === 'admin');

/** One recommendation as a table row, with approve/reject for OTA engineers. */
export function recommendationRow(r, session, after) {
  const comment = h('input', { placeholder: 'comment', 'aria-label': 'comment', size: 14 });
  const decide = (what) => async () => {
    try {
      await api(`/api/v1/ota/recommendations/${encodeURIComponent(r.recommendation_id)}/${what}`, { method: 'POST', body: { comment: comment.value } });
      await after();
    } catch (err) { alert(err.message); }
  };
  const delivery = r.status !== 'approved' ? '' : r.delivered_at ? `delivered ${when(r.delivered_at)}` : r.sent_at ? `sent ${when(r.sent_at)}, awaiting ack` : 'not sent';
  return h('tr', { 'data-rec': r.recommendation_id },
    h('td', {}, h('a', { href: `#/drives/${r.batch_id}` }, r.vin)),
    h('td', {}, r.fault_code, r.cause_id ? ` (${r.cause_id})` : ''),
    h('td', {}, `${r.target_component} ${r.current_version ?? '?'} → ${r.target_version}`),
    h('td', { class: 'opt' }, r.note),
    h('td', {}, badge(r.status), r.decided_by ? ` by ${r.decided_by} ${when(r.decided_at)}` : '', r.comment ? ` — “${r.comment}”` : ''),
    h('td', { class: 'delivery' }, delivery),
    h('td', {}, r.status === 'pending' && canDecide(session)
      ? h('span', { class: 'row' }, comment, h('button', { class: 'primary', type: 'button', onclick: decide('approve') }, 'Approve'), h('button', { class: 'danger', type: 'button', onclick: decide('reject') }, 'Reject'))
      : ''));
}

/** OTA review: recommendations by status, rules, fleet impact of a cause (CSV/JSON export). */
export async function otaView(main, session) {
  const state = { status: 'pending', offset: 0 };
  const list = h('div');
  const load = async () => {
    const r = await api(`/api/v1/ota/recommendations${qs({ status: state.status, limit: 25, offset: state.offset })}`);
    mount(list, h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Vehicle', 'Fault', 'Firmware', 'Note', 'Decision', 'Delivery', ''].map((x, i) => h('th', { class: i === 3 ? 'opt' : '' }, x)))),
      h('tbody', {}, r.recommendations.map((x) => recommendationRow(x, session, load))))), pager(r, (o) => { state.offset = o; load(); }));
  };
  const status = h('select', { onchange: (e) => { state.status = e.target.value; state.offset = 0; load(); } },
    ['pending', 'approved', 'rejected', ''].map((s) => h('option', { value: s }, s || 'all')));
  const rules = await api('/api/v1/ota/rules');
  const impactOut = h('div');
  const editor = h('div');
  const RULE_KEYS = ['fault_code', 'cause_id', 'platforms', 'firmware_component', 'affected_versions', 'target_component', 'target_version', 'note', 'enabled'];
  const editRule = (r) => {
    const id = h('input', { value: r.rule_id ?? '', placeholder: 'rule id', 'aria-label': 'rule id' });
    const text = h('textarea', { spellcheck: 'false' }, JSON.stringify(Object.fromEntries(RULE_KEYS.map((k) => [k, r[k]])), null, 2));
    const msg = h('p', { role: 'status' });
    const save = async () => {
      try {
        await api(`/api/v1/ota/rules/${encodeURIComponent(id.value)}`, { method: 'PUT', body: JSON.parse(text.value) });
        await otaView(main, session);
      } catch (err) { msg.textContent = err.message; msg.className = 'error'; }
    };
    mount(editor, h('div', { class: 'card' }, h('h3', {}, r.rule_id ? `Rule ${r.rule_id}` : 'New rule'), id, text,
      h('div', { class: 'row' }, h('button', { class: 'primary', type: 'button', onclick: save }, 'Save rule'), msg)));
    editor.scrollIntoView({ behavior: 'smooth' });
  };
  const blankRule = { fault_code: '0x', cause_id: null, platforms: [], firmware_component: '', affected_versions: '*', target_component: '', target_version: '', note: '', enabled: true };
  const cause = h('select', {}, [...new Set(rules.rules.map((r) => r.cause_id).filter(Boolean))].map((c) => h('option', { value: c }, c)));
  const impact = async () => {
    const r = await api(`/api/v1/ota/impact${qs({ cause_id: cause.value })}`);
    mount(impactOut, h('p', {}, `${r.count} vehicles run ${r.query.component} ${r.query.range}`, r.query.platforms ? ` on ${r.query.platforms.join(', ')}` : '', ' · ',
      h('a', { href: `/api/v1/ota/impact${qs({ cause_id: cause.value, format: 'csv' })}`, download: 'fleet-impact.csv' }, 'CSV'), ' · ',
      h('a', { href: `/api/v1/ota/impact${qs({ cause_id: cause.value })}`, target: '_blank' }, 'JSON')),
    h('ul', {}, r.vehicles.slice(0, 100).map((v) => h('li', {}, `${v.vin} (${v.platform ?? '?'}) ${v.component} ${v.version}`))));
  };
  mount(main,
    h('h1', {}, 'OTA recommendations'),
    h('div', { class: 'filters' }, 'Status ', status), list,
    h('h2', {}, 'Fleet impact'),
    h('div', { class: 'filters' }, cause, h('button', { type: 'button', onclick: impact }, 'Show affected vehicles')), impactOut,
    h('h2', {}, `Rules (${rules.rules.length})`, ' ', canDecide(session) ? h('button', { type: 'button', onclick: () => editRule(blankRule) }, 'New rule') : null),
    editor,
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Rule', 'Fault / cause', 'Platforms', 'Affected', 'Recommend', 'Note', 'By'].map((x) => h('th', {}, x)))),
      h('tbody', {}, rules.rules.map((r) => h('tr', {}, h('td', {}, r.rule_id), h('td', {}, `${r.fault_code} ${r.cause_id ?? '(any)'}`), h('td', {}, r.platforms.join(', ') || 'all'),
        h('td', {}, `${r.firmware_component} ${r.affected_versions}`), h('td', {}, `${r.target_component} ${r.target_version}`, r.enabled ? '' : ' (disabled)'), h('td', {}, r.note), h('td', {}, r.updated_by,
        canDecide(session) ? h('button', { type: 'button', onclick: () => editRule(r) }, 'Edit') : null)))))));
  await load();
}
