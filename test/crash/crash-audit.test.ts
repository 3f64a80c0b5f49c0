import { describe, expect, it } from 'vitest';
import type { BatchManifest } from '@argus/shared';
import { objectKeys } from '../../cloud-hub/src/store/object-store.js';
import { auditExactlyOnce, chunkIdOfKey, type HubEvidence } from './crash-audit.js';

// The crash test's verdict must be able to say "no": each way a crash could
// duplicate or lose data, built by hand, is caught and counted.
const B1 = '11111111-1111-4111-8111-111111111111';
const B2 = '22222222-2222-4222-8222-222222222222';
const key = (b: string, f: string, i: number, sha = 'a'.repeat(16)) => `batches/${b}/files/${f}/${String(i).padStart(6, '0')}-${sha}.csv.zst`;

function manifest(batchId: string, name: string, files: Record<string, number>): BatchManifest {
  return {
    v: 1, batch_id: batchId, vehicle: { vin: 'LJ8E3C1M5PB000123', platform: 'J7', firmware: {} }, recording: { name, bytes: 100, truncated: false },
    files: Object.entries(files).map(([file_id, chunk_count]) => ({ file_id, topic: `/${file_id}`, chunk_count, rows: 1, raw_bytes: 1 })), topics: [], problems: [], created_at: 'x',
  } as BatchManifest;
}

/** A batch stored perfectly: ledger and one object per chunk. */
function perfect(batchId: string, name: string, files: Record<string, number>): { batch: HubEvidence['batches'][number]; keys: string[] } {
  const ledger = Object.entries(files).flatMap(([f, n]) => Array.from({ length: n }, (_, i) => ({ file_id: f, chunk_index: i, object_key: key(batchId, f, i) })));
  return { batch: { batch_id: batchId, manifest: manifest(batchId, name, files), uploadedEvents: 1, ledger }, keys: [`batches/${batchId}/manifest.json`, ...ledger.map((c) => c.object_key)] };
}

function evidence(...parts: ReturnType<typeof perfect>[]): HubEvidence {
  return { batches: parts.map((p) => p.batch), objectKeys: parts.flatMap((p) => p.keys) };
}

const drive = (name: string) => ({ name, bytes: 100 });

describe('auditExactlyOnce', () => {
  it('passes a clean run', () => {
    expect(auditExactlyOnce([drive('a.mcap'), drive('b.mcap')], evidence(perfect(B1, 'a.mcap', { t0: 3, t1: 2 }), perfect(B2, 'b.mcap', { t0: 1 })))).toEqual({ lost: 0, duplicates: 0, problems: [] });
  });

  it('counts a recording uploaded under two batches (re-packed under a new batch id) as a duplicate', () => {
    const r = auditExactlyOnce([drive('a.mcap')], evidence(perfect(B1, 'a.mcap', { t0: 2 }), perfect(B2, 'a.mcap', { t0: 2 })));
    expect(r.duplicates).toBe(1);
    expect(r.problems.join('\n')).toContain('uploaded under 2 batches');
  });

  it('counts a batch with chunks and no manifest as a duplicate', () => {
    const p = perfect(B2, 'a.mcap', { t0: 1 });
    const ev = evidence(perfect(B1, 'a.mcap', { t0: 1 }), { ...p, batch: { ...p.batch, manifest: null } });
    expect(auditExactlyOnce([drive('a.mcap')], ev).duplicates).toBe(1);
  });

  it('counts a second object under one chunk id (different bytes) as a duplicate', () => {
    const ev = evidence(perfect(B1, 'a.mcap', { t0: 2 }));
    ev.objectKeys.push(key(B1, 't0', 1, 'b'.repeat(16)));
    const r = auditExactlyOnce([drive('a.mcap')], ev);
    expect(r).toMatchObject({ lost: 0, duplicates: 1 });
    expect(r.problems).toEqual([`chunk ${B1}/t0/1: 2 objects in the store`]);
  });

  it('counts a chunk missing from the ledger, or whose object is missing, as lost', () => {
    const p = perfect(B1, 'a.mcap', { t0: 3 });
    p.batch.ledger.pop();
    p.keys.splice(p.keys.indexOf(key(B1, 't0', 0)), 1);
    const r = auditExactlyOnce([drive('a.mcap')], evidence(p));
    expect(r.lost).toBe(2);
  });

  it('flags a ledger or object store holding chunks the manifest does not list, a barrier that fired twice, a drive with no batch', () => {
    const p = perfect(B1, 'a.mcap', { t0: 1 });
    p.batch.ledger.push({ file_id: 't9', chunk_index: 0, object_key: key(B1, 't9', 0) });
    p.keys.push(key(B1, 't9', 0));
    p.batch.uploadedEvents = 2;
    const r = auditExactlyOnce([drive('a.mcap'), drive('b.mcap')], evidence(p));
    expect(r.lost).toBe(1);
    expect(r.problems).toEqual(expect.arrayContaining([
      'b.mcap (100 B): no batch on the hub', `batch ${B1}: barrier fired 2 times`, `chunk ${B1}/t9/0: in the ledger but not in the manifest`, expect.stringContaining(`chunk ${B1}/t9/0: object in the store`),
    ]));
  });

  it('reads chunk ids from the hub\'s object key layout', () => {
    expect(chunkIdOfKey(`batches/${B1}/files/t003/000012-0123456789abcdef.csv.gz`)).toBe(`${B1}/t003/12`);
    for (const enc of ['gzip', 'zstd', 'identity'] as const) expect(chunkIdOfKey(objectKeys.chunk(B1, 't003', 7, 'f'.repeat(64), enc))).toBe(`${B1}/t003/7`);
    expect(chunkIdOfKey(`batches/${B1}/manifest.json`)).toBeNull();
  });
});
