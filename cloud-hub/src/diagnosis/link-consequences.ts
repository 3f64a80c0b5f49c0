/**
 * Root before consequence: a detected fault whose knowledge-base signature
 * declares a `consequence` rule explains another detected fault (or an
 * anomaly) on the same signal, provided the root came first. A deviation
 * from the healthy baseline (a value or rate anomaly) that begins while a
 * detected fault is active is that fault's probable consequence — a
 * catalogue fault's side effects are reported with the fault, not as
 * unknown anomalies beside it. Nothing else links findings.
 */
import type { Evidence } from '@argus/shared';
import type { SignatureRule } from '../kb/knowledge-base.js';
import type { Anomaly } from './anomalies.js';
import type { Detection } from './diagnose-rules.js';

/** Slack (s) when comparing onsets: sampling of slow topics blurs them. */
export const ONSET_TOLERANCE_S = 3;
/** Share of the consequence's matching samples that must come after the root's onset. */
export const AFTER_SHARE = 0.75;
/**
 * How long (s) before a fault's detected onset a coincident deviation may
 * begin: thresholds are crossed after the underlying process has started
 * (a CPU heats through 88 °C before it reaches the 95 °C of its signature).
 */
export const COINCIDENT_LEAD_S = 10;

type Family = 'timing' | 'value' | 'status' | 'log';

function family(r: SignatureRule): Family {
  switch (r.kind) {
    case 'gap':
    case 'rate_below':
      return 'timing';
    case 'status':
      return 'status';
    case 'log':
      return 'log';
    default:
      return 'value';
  }
}

function signalOf(r: SignatureRule): string {
  switch (r.kind) {
    case 'gap':
    case 'rate_below':
      return '';
    case 'status':
      return r.name;
    case 'log':
      return r.node ?? '';
    case 'difference_above':
      return r.fields.join('-');
    default:
      return r.field;
  }
}

/** Whether two rules watch the same signal (topic, kind family, field/name/node). */
export function sameSignal(a: SignatureRule, b: SignatureRule): boolean {
  return a.topic === b.topic && family(a) === family(b) && signalOf(a) === signalOf(b);
}

const s1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

/** Result of {@link linkConsequences}. */
export interface Links {
  roots: Detection[];
  unexplained: Anomaly[];
  links: { root: string; consequence: string; reason: string }[];
}

/** A status anomaly belongs to a rule on its status name, a log anomaly to a rule on its node (or on any node). */
function sameSource(r: SignatureRule, a: Anomaly): boolean {
  if (r.kind === 'status') return a.name.startsWith(`${signalOf(r)} `);
  if (r.kind === 'log') return r.node === undefined || a.node === undefined || r.node === a.node;
  return true;
}

/** Whether anomaly `a` begins while detection `d` is active (its matched rules' span, led by {@link COINCIDENT_LEAD_S}). */
function coincident(d: Detection, a: Anomaly): boolean {
  const matched = d.outcomes.filter((o) => o.matched && o.t_start_s !== undefined);
  const onset = d.primary.t_start_s;
  if (onset === undefined) return false;
  const end = Math.max(d.primary.t_end_s ?? onset, ...matched.map((o) => o.t_end_s ?? o.t_start_s!));
  return a.t_start_s >= onset - COINCIDENT_LEAD_S && a.t_start_s <= end + ONSET_TOLERANCE_S;
}

/** Links consequences to roots; mutates `explains` of the roots it returns. */
export function linkConsequences(detections: Detection[], anomalies: Anomaly[]): Links {
  const links: Links['links'] = [];
  const parent = new Map<Detection, Detection>();
  for (const f of detections) {
    let best: { root: Detection; reason: string } | null = null;
    for (const r of detections) {
      if (r === f) continue;
      const rule = r.fault.signature.find((c) => c.role === 'consequence' && sameSignal(c, f.primary.rule));
      if (!rule) continue;
      const rootOnset = r.primary.t_start_s ?? Infinity;
      const ivs = f.primary.intervals;
      const total = ivs.reduce((n, iv) => n + iv.count, 0);
      const after = ivs.filter((iv) => iv.start_s >= rootOnset - ONSET_TOLERANCE_S).reduce((n, iv) => n + iv.count, 0);
      const share = total > 0 ? after / total : (f.primary.t_start_s ?? -Infinity) >= rootOnset - ONSET_TOLERANCE_S ? 1 : 0;
      if (share < AFTER_SHARE) continue;
      // Mutual declarations: the earlier onset is the root.
      const back = f.fault.signature.some((c) => c.role === 'consequence' && sameSignal(c, r.primary.rule));
      if (back && (f.primary.t_start_s ?? Infinity) < rootOnset) continue;
      if (!best || rootOnset < (best.root.primary.t_start_s ?? Infinity)) {
        best = { root: r, reason: `${r.fault.code} declares ${f.primary.rule.topic} as a consequence; it began at t=${s1(rootOnset)} s and ${Math.round(share * 100)} % of ${f.fault.code}'s evidence follows it` };
      }
    }
    if (best) {
      parent.set(f, best.root);
      links.push({ root: best.root.fault.code, consequence: f.fault.code, reason: best.reason });
    }
  }
  const top = (d: Detection): Detection => {
    const seen = new Set<Detection>();
    let cur = d;
    while (parent.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = parent.get(cur)!;
    }
    return cur;
  };
  for (const [f] of parent) {
    const root = top(f);
    if (root === f) continue;
    const ev: Evidence = {
      kind: 'signal',
      topic: f.primary.rule.topic,
      text: `explains ${f.fault.code} ${f.fault.name} as a consequence: ${f.primary.fact}`,
    };
    if (f.primary.t_start_s !== undefined) ev.t_start_s = f.primary.t_start_s;
    if (f.primary.t_end_s !== undefined) ev.t_end_s = f.primary.t_end_s;
    root.explains.push({ id: f.fault.code, evidence: ev });
    root.confidence = Math.min(0.99, root.confidence + 0.03);
  }
  const roots = detections.filter((d) => top(d) === d);

  const unexplained: Anomaly[] = [];
  for (const a of anomalies) {
    const fam: Family = a.kind === 'silence' || a.kind === 'rate' ? 'timing' : a.kind;
    // Part of a detected fault's own signature: fold it in as evidence.
    const own = roots.find((d) => d.fault.signature.some((r) => r.role !== 'consequence' && r.topic === a.topic && family(r) === fam && sameSource(r, a)));
    if (own) {
      own.primary.evidence.push({ kind: fam === 'status' || fam === 'log' ? fam : 'signal', topic: a.topic, t_start_s: a.t_start_s, t_end_s: a.t_end_s, text: a.text });
      links.push({ root: own.fault.code, consequence: a.name, reason: 'part of the fault signature' });
      continue;
    }
    const root = roots.find((d) => {
      const onset = d.primary.t_start_s ?? Infinity;
      return a.t_start_s >= onset - ONSET_TOLERANCE_S && d.fault.signature.some((r) => r.role === 'consequence' && r.topic === a.topic && family(r) === fam);
    });
    if (root) {
      root.explains.push({ id: a.name, evidence: { kind: 'signal', topic: a.topic, t_start_s: a.t_start_s, t_end_s: a.t_end_s, text: `consequence: ${a.text}` } });
      links.push({ root: root.fault.code, consequence: a.name, reason: `declared consequence on ${a.topic}, after the root's onset` });
      continue;
    }
    const during = a.kind === 'value' || a.kind === 'rate' ? roots.find((d) => coincident(d, a)) : undefined;
    if (!during) {
      unexplained.push(a);
      continue;
    }
    const why = `began at t=${s1(a.t_start_s)} s while ${during.fault.code} was active (from t=${s1(during.primary.t_start_s ?? 0)} s)`;
    during.explains.push({ id: a.name, evidence: { kind: 'signal', topic: a.topic, t_start_s: a.t_start_s, t_end_s: a.t_end_s, text: `probable consequence, ${why}: ${a.text}` } });
    links.push({ root: during.fault.code, consequence: a.name, reason: `deviation from the healthy baseline that ${why}` });
  }
  return { roots, unexplained, links };
}
