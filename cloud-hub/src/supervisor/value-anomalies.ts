/**
 * The log analyst's own check for numeric anomalies the rule engine does not
 * look for: a temperature (a field named `*temp*` in °C) that climbs far
 * above where it started. Fields any knowledge-base signature watches are
 * left to the rules. Pure and deliberately conservative: healthy drives
 * vary by a few degrees; this asks for a rise of at least {@link TEMP_RISE_C}.
 */
import type { Finding } from '@argus/shared';
import type { DriveFeatures } from '../gather/features.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';

/** Smallest rise (°C, max − first) that counts as an anomaly. */
export const TEMP_RISE_C = 15;

const s1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

/** Topic/field pairs that some KB signature rule (or its `while`) reads. */
function watchedFields(kb: KnowledgeBase): Set<string> {
  const out = new Set<string>();
  for (const f of kb.faults) {
    for (const r of f.signature) {
      if ('field' in r) out.add(`${r.topic}|${r.field}`);
      if ('fields' in r) for (const x of r.fields) out.add(`${r.topic}|${x}`);
      if (r.while) out.add(`${r.while.topic}|${r.while.field}`);
    }
  }
  return out;
}

/** Temperature rises no KB entry watches, as findings with code null. */
export function valueAnomalies(features: DriveFeatures, kb: KnowledgeBase): Finding[] {
  const watched = watchedFields(kb);
  const out: Finding[] = [];
  for (const [topic, t] of Object.entries(features.topics)) {
    for (const [field, s] of Object.entries(t.fields)) {
      if (!/temp/i.test(field) || watched.has(`${topic}|${field}`) || s.count < 10) continue;
      const rise = s.max - s.first;
      if (rise < TEMP_RISE_C) continue;
      out.push({
        code: null,
        name: `${topic}.${field} rose by ${s1(rise)} °C`,
        cause_id: null,
        confidence: 0.3,
        root_cause: null,
        resolution: null,
        recommended_firmware: null,
        consequences: [],
        evidence: [{
          kind: 'signal', topic, t_start_s: s.first_s, t_end_s: s.last_s,
          text: `${field} started at ${s1(s.first)} and reached ${s1(s.max)} (mean ${s1(s.mean)}, last ${s1(s.last)}) — a rise of ${s1(rise)}; no knowledge-base entry describes it`,
        }],
      });
    }
  }
  return out;
}
