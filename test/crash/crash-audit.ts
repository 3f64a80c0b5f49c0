import type { BatchManifest } from '@argus/shared';

/** What the hub holds after the crash run, read from its database and object store. */
export interface HubEvidence {
  /** Every batch the hub knows (one vehicle's hub: all of them). */
  batches: {
    batch_id: string;
    manifest: BatchManifest | null;
    /** How many `uploaded` events (barrier firings) the batch has. */
    uploadedEvents: number;
    /** Its chunk-ledger rows. */
    ledger: { file_id: string; chunk_index: number; object_key: string }[];
  }[];
  /** Every key in the hub's object store under `batches/`. */
  objectKeys: string[];
}

/** The verdict: chunks lost, extra copies stored, and every problem named. */
export interface AuditResult {
  lost: number;
  duplicates: number;
  problems: string[];
}

/** `batches/{batch}/files/{file}/{index:6}-{sha16}.csv…` → chunk id `{batch}/{file}/{index}`, else null. */
export function chunkIdOfKey(key: string): string | null {
  const m = /^batches\/([^/]+)\/files\/([^/]+)\/(\d{6})-[0-9a-f]{16}\.csv(\.gz|\.zst)?$/.exec(key);
  return m ? `${m[1]}/${m[2]}/${Number(m[3])}` : null;
}

/**
 * Checks that the drives the agent completed reached the hub exactly once, in
 * ways a crash could break:
 * - each recording (by name and size, from the manifests) was uploaded under
 *   exactly ONE batch — an agent that re-packed a drive under a new batch id
 *   after a kill would upload it twice (a batch with chunks but no manifest counts too);
 * - each batch's ledger holds exactly the manifest's chunk set, and the barrier fired once;
 * - the object store holds exactly one object per chunk id, the one the ledger names
 *   (a re-pack with different bytes would add a second object under the same id).
 * `lost` counts manifest chunks not stored (ledger row + its object), plus recordings
 * with no batch; `duplicates` counts extra batches per recording plus extra objects per chunk id.
 */
export function auditExactlyOnce(recordings: { name: string; bytes: number }[], ev: HubEvidence): AuditResult {
  const problems: string[] = [];
  let lost = 0;
  let duplicates = 0;
  const byRecording = new Map<string, string[]>();
  for (const b of ev.batches) {
    if (!b.manifest) {
      duplicates += 1;
      problems.push(`batch ${b.batch_id}: ${b.ledger.length} chunks but no manifest (a recording packed again under a new batch id?)`);
      continue;
    }
    const key = `${b.manifest.recording.name} (${b.manifest.recording.bytes} B)`;
    byRecording.set(key, [...(byRecording.get(key) ?? []), b.batch_id]);
  }
  for (const r of recordings) {
    const key = `${r.name} (${r.bytes} B)`;
    const ids = byRecording.get(key) ?? [];
    byRecording.delete(key);
    if (ids.length === 0) {
      lost += 1;
      problems.push(`${key}: no batch on the hub`);
    } else if (ids.length > 1) {
      duplicates += ids.length - 1;
      problems.push(`${key}: uploaded under ${ids.length} batches (${ids.join(', ')})`);
    }
  }
  for (const [key, ids] of byRecording) problems.push(`${key}: on the hub (${ids.join(', ')}) but not a drive the agent completed`);

  const objects = new Map<string, string[]>();
  for (const k of ev.objectKeys) {
    const id = chunkIdOfKey(k);
    if (id) objects.set(id, [...(objects.get(id) ?? []), k]);
  }
  const inManifests = new Set<string>();
  for (const b of ev.batches) {
    if (b.uploadedEvents !== 1) problems.push(`batch ${b.batch_id}: barrier fired ${b.uploadedEvents} times`);
    const expected = new Set((b.manifest?.files ?? []).flatMap((f) => Array.from({ length: f.chunk_count }, (_, i) => `${b.batch_id}/${f.file_id}/${i}`)));
    for (const id of expected) inManifests.add(id);
    const ledger = new Map(b.ledger.map((c) => [`${b.batch_id}/${c.file_id}/${c.chunk_index}`, c.object_key]));
    for (const id of expected) {
      const key = ledger.get(id);
      const stored = objects.get(id) ?? [];
      if (key === undefined || !stored.includes(key)) {
        lost += 1;
        problems.push(`chunk ${id}: ${key === undefined ? 'not in the ledger' : `ledger names ${key}, which is not in the object store`}`);
      }
    }
    for (const id of ledger.keys()) if (b.manifest && !expected.has(id)) problems.push(`chunk ${id}: in the ledger but not in the manifest`);
  }
  for (const [id, keys] of objects) {
    if (keys.length > 1) {
      duplicates += keys.length - 1;
      problems.push(`chunk ${id}: ${keys.length} objects in the store`);
    }
    if (!inManifests.has(id)) problems.push(`chunk ${id}: object in the store (${keys.join(', ')}) for a chunk no manifest lists`);
  }
  return { lost, duplicates, problems };
}
