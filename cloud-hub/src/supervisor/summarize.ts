/** The report's one-paragraph summary. Pure. */
import type { Finding } from '@argus/shared';
import type { DriveFeatures } from '../gather/features.js';
import type { Narrative } from './state.js';

/** Summary line of a diagnosis; the LLM narrative, when there is one, follows the deterministic line. */
export function summarize(status: 'healthy' | 'fault' | 'unknown', findings: Finding[], f: DriveFeatures, narrative?: Narrative, llmNote?: string): string {
  const span = `${Object.keys(f.topics).length} topics over ${Math.round(f.drive.duration_s)} s`;
  let line: string;
  if (status === 'healthy') line = `Healthy: no fault signature matched (${span}).`;
  else if (status === 'unknown') line = `Unknown: ${findings.length} anomaly(ies) that no knowledge-base entry describes, strongest: ${findings[0]!.name} (${span}).`;
  else {
    const top = findings[0]!;
    const cause = top.cause_id ? `cause ${top.cause_id}: ${(top.root_cause ?? '').replace(/\.$/, '')}` : 'cause unknown for this platform and firmware';
    const cons = top.consequences.length ? `; also explains ${top.consequences.join(', ')}` : '';
    const more = findings.length > 1 ? `; ${findings.length - 1} further finding(s): ${findings.slice(1).map((x) => x.code ?? x.name).join(', ')}` : '';
    line = `Fault ${top.code} ${top.name} (confidence ${top.confidence}), ${cause}${cons}${more}.`;
  }
  if (narrative) return `${line}\n\n${narrative.text}`;
  if (llmNote) return `${line} (${llmNote})`;
  return line;
}
