import { api } from '../api.js';
import { seriesChart } from '../chart.js';
import { badge, h, mount, when } from '../dom.js';
import { recommendationRow } from './ota.js';

/** Fault windows from the report's evidence: [start_s, end_s] with the topics they name. */
function faultWindows(report) {
  const out = [];
  for (const f of report?.findings ?? []) {
    for (const e of f.evidence) if (typeof e.t_start_s === 'number') out.push({ topic: e.topic, w: [e.t_start_s, e.t_end_s ?? e.t_start_s] });
  }
  return out;
}

/** One drive: state, charts of its key signals with fault windows, the report with evidence and trace, raw files, recommendations. */
export async function driveView(main, batchId, session) {
  const d = await api(`/api/v1/drives/${batchId}`);
  const windows = faultWindows(d.report);
  const evidenceTopics = new Set(windows.map((w) => w.topic).filter(Boolean));
  const topics = Object.keys(d.series).sort((a, b) => Number(evidenceTopics.has(b)) - Number(evidenceTopics.has(a)) || a.localeCompare(b)).slice(0, 6);
  const charts = h('div', { class: 'charts' }, topics.map((t) => h('div', { class: 'chart', 'data-topic': t })));
  const v = d.vehicle;
  mount(main,
    h('p', {}, h('a', { href: '#/drives' }, '‹ Drives')),
    h('h1', {}, `Drive ${d.batch.batch_id.slice(0, 8)} — ${d.batch.vin}`),
    h('div', { class: 'card row' },
      'State ', badge(d.batch.state), ' · platform ', v?.platform ?? d.batch.platform ?? '—',
      ' · firmware ', Object.entries(v?.firmware ?? {}).map(([k, x]) => `${k} ${x}`).join(', ') || '—',
      ' · duration ', d.drive ? `${Math.round(d.drive.duration_s)} s` : '—', ' · uploaded ', when(d.batch.created_at),
      d.batch.reason ? h('span', { class: 'error' }, ` · ${d.batch.reason}`) : null),
    h('h2', {}, 'Signals'),
    topics.length ? charts : h('p', { class: 'muted' }, 'No series gathered yet.'),
    h('h2', {}, 'Diagnosis'),
    d.report ? reportBlock(d.report) : h('p', { class: 'muted' }, 'No diagnosis yet.'),
    h('h2', {}, 'OTA recommendations'),
    d.recommendations.length
      ? h('div', { class: 'table-wrap' }, h('table', {}, h('tbody', {}, d.recommendations.map((r) => recommendationRow(r, session, () => driveView(main, batchId, session))))))
      : h('p', { class: 'muted' }, 'None.'),
    h('h2', {}, 'Raw files'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Topic'), h('th', {}, 'Chunks'), h('th', {}, 'Bytes (gzip)'), h('th', { class: 'opt' }, 'Rows'))),
      h('tbody', {}, d.files.map((f) => h('tr', {}, h('td', {}, f.file_id), h('td', {}, f.topic), h('td', {}, `${f.chunks}/${f.declared?.chunk_count ?? '?'}`), h('td', {}, f.bytes), h('td', { class: 'opt' }, f.rows)))))),
    h('h2', {}, 'Pipeline events'),
    h('ul', {}, d.events.map((e) => h('li', {}, `${when(e.at)} — ${e.state}`))));
  const plots = [];
  for (const el of charts.children) {
    const t = el.getAttribute('data-topic');
    // A window on a topic without a chart (e.g. /diagnostics) marks the fault on every chart.
    plots.push(seriesChart(el, t, d.series[t], windows.filter((w) => !w.topic || w.topic === t || !d.series[w.topic]).map((w) => w.w)));
  }
  return () => plots.forEach((p) => p.destroy());
}

function reportBlock(r) {
  return h('div', { class: 'card report' },
    h('p', {}, badge(r.status), ' ', h('strong', {}, r.summary)),
    r.findings.map((f) => h('div', { class: 'finding' },
      h('h3', {}, `${f.code ?? '—'} ${f.name}`, ' ', h('span', { class: 'muted' }, `confidence ${(f.confidence * 100).toFixed(0)} %`)),
      f.root_cause ? h('p', {}, h('b', {}, 'Cause: '), `${f.cause_id ?? ''} ${f.root_cause}`) : null,
      f.resolution ? h('p', {}, h('b', {}, 'Resolution: '), f.resolution) : null,
      f.recommended_firmware ? h('p', {}, h('b', {}, 'Recommended firmware: '), `${f.recommended_firmware.component} ${f.recommended_firmware.version}`) : null,
      f.consequences.length ? h('p', {}, h('b', {}, 'Explains: '), f.consequences.join(', ')) : null,
      h('ul', { class: 'evidence' }, f.evidence.map((e) => h('li', {}, badge(e.kind), ' ', e.topic ? `${e.topic} ` : '',
        typeof e.t_start_s === 'number' ? `[${e.t_start_s.toFixed(1)}–${(e.t_end_s ?? e.t_start_s).toFixed(1)} s] ` : '', e.text))))),
    h('details', {}, h('summary', {}, `Trace (${r.trace.length} steps, engine ${r.engine}${r.model ? `, ${r.model}` : ''})`),
      h('ol', {}, r.trace.map((s) => h('li', {}, `${s.step} — ${s.ms.toFixed(1)} ms`, h('pre', {}, JSON.stringify(s.detail, null, 1)))))));
}
