import type { DiagnosisReport } from '@argus/shared';

/** Renders a diagnosis report for a terminal: status, then findings most likely first. */
export function formatReport(r: DiagnosisReport): string {
  const lines = [`  status: ${r.status} — ${r.summary}`];
  for (const [i, f] of r.findings.entries()) {
    lines.push(`  ${i + 1}. ${f.code ?? '(no code)'} ${f.name}  confidence ${f.confidence.toFixed(2)}${f.severity ? `  [${f.severity}]` : ''}`);
    lines.push(`     cause: ${f.cause_id ? `${f.cause_id} — ${f.root_cause}` : 'unknown for this platform and firmware'}`);
    if (f.resolution) lines.push(`     do: ${f.resolution}`);
    if (f.recommended_firmware) lines.push(`     firmware: ${f.recommended_firmware.component} → ${f.recommended_firmware.version}`);
    if (f.consequences.length) lines.push(`     consequences: ${f.consequences.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
