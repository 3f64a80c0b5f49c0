import type { DiagnosisReport, FirmwareRecommendation } from '@argus/shared';
import type { DriveEntry } from './journal.js';
import type { ProgressFile } from './progress.js';

/** Everything `argus-agent status` shows. */
export interface AgentStatus {
  drives: DriveEntry[];
  progress: ProgressFile | null;
  outboxBytes: number;
  lastReport: DiagnosisReport | null;
  recommendations: FirmwareRecommendation[];
}

/**
 * Upload rate (bytes/s) and ETA (s) of the current batch, from what was sent
 * since it started and the batch's average chunk size (pure).
 */
export function uploadEta(p: { bytes_sent: number; chunks_sent: number; chunks_total: number; started_at: number }, nowMs: number): { rate: number; etaS: number | null } {
  const elapsed = Math.max(0.001, (nowMs - p.started_at) / 1000);
  const rate = p.bytes_sent / elapsed;
  if (p.chunks_sent === 0 || rate <= 0) return { rate, etaS: null };
  const left = ((p.chunks_total - p.chunks_sent) * p.bytes_sent) / p.chunks_sent;
  return { rate, etaS: left / rate };
}

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

/** Renders the status as text (pure). */
export function formatStatus(s: AgentStatus, nowMs: number): string {
  const out: string[] = [];
  const stale = s.progress && nowMs - s.progress.at > 10_000;
  out.push(`agent: ${s.progress ? (stale ? 'not running (last seen ' + new Date(s.progress.at).toISOString() + ')' : 'running') : 'never ran'}; mqtt ${s.progress?.mqtt_connected ? 'connected' : 'disconnected'}; outbox ${mb(s.outboxBytes)}`);
  out.push(`drives (${s.drives.length}):`);
  for (const d of s.drives.slice(-20)) {
    out.push(`  ${d.name}  ${d.state}${d.batch_id ? `  batch ${d.batch_id.slice(0, 8)}` : ''}${d.chunks ? `  ${d.chunks} chunks` : ''}${d.reason ? `  reason: ${d.reason}` : ''}`);
  }
  const p = s.progress?.progress;
  if (p && !stale) {
    const { rate, etaS } = uploadEta(p, nowMs);
    out.push(`uploading ${p.recording} (batch ${p.batch_id.slice(0, 8)}) via ${p.via ?? '…'}: ${p.chunks_sent}/${p.chunks_total} chunks, ${mb(p.bytes_sent)}, ${(rate / 1e3).toFixed(1)} kB/s, ETA ${etaS === null ? '?' : `${Math.ceil(etaS)} s`}`);
  }
  if (s.lastReport) {
    const r = s.lastReport;
    out.push(`last diagnosis: batch ${r.batch_id.slice(0, 8)} — ${r.status}: ${r.summary}`);
    for (const f of r.findings.slice(0, 5)) out.push(`  ${f.code ?? '-'} ${f.name}  confidence ${f.confidence.toFixed(2)}${f.recommended_firmware ? `  firmware: ${f.recommended_firmware.component} → ${f.recommended_firmware.version}` : ''}`);
  } else out.push('last diagnosis: none');
  out.push(`pending recommendations (${s.recommendations.length}):`);
  for (const r of s.recommendations) out.push(`  ${r.target.component} → ${r.target.version} (${r.fault_code}${r.current_version ? `, now ${r.current_version}` : ''}): ${r.note}`);
  return out.join('\n');
}
