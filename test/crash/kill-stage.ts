import type { DriveEntry } from '@argus/edge-agent';

/** What the agent was doing when it was killed. */
export type Stage = 'parse' | 'outbox' | 'upload' | 'ack' | 'idle';

/** The stages every crash run must have killed at least once. */
export const REQUIRED_STAGES: readonly Stage[] = ['parse', 'outbox', 'upload', 'ack'];

/**
 * Stages in progress at a kill, from the journal as the kill left it on disk
 * (it is written atomically, so it is the state of the instant of death), the
 * agent's last log line, and which uploading batches the hub already held
 * entirely (barrier fired) at the kill:
 * - parse: a drive detected, not yet packed (native parse → CSV → chunks into staging);
 * - outbox: a drive packed, nothing sent yet, or the last line was the outbox commit / quota;
 * - upload: a drive uploading whose chunks the hub does not all have;
 * - ack: a drive whose chunks the hub has all stored, with the agent not yet done taking the
 *   acknowledgements in (journal `uploading`) or confirming the barrier (`uploaded`).
 * One kill may count in several (packing and uploading run side by side).
 */
export function stagesAt(drives: readonly DriveEntry[], lastMsg: string | undefined, hubHasAll: ReadonlySet<string>): Stage[] {
  const s = new Set<Stage>();
  for (const d of drives) {
    if (d.state === 'detected') s.add('parse');
    if (d.state === 'packed') s.add('outbox');
    if (d.state === 'uploading') s.add(d.batch_id && hubHasAll.has(d.batch_id) ? 'ack' : 'upload');
    if (d.state === 'uploaded') s.add('ack');
  }
  if (lastMsg && /recording packed|quota/.test(lastMsg)) s.add('outbox');
  if (s.size === 0) s.add('idle');
  return [...s];
}
