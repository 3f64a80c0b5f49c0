import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canAdvance, DriveJournal, readJournal } from './journal.js';

describe('DriveJournal', () => {
  it('walks detected → packed → uploading → uploaded → complete and survives a reopen', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-journal-'));
    const j = await DriveJournal.open(dir);
    await j.detect('a.mcap', 10);
    await j.advance('a.mcap', 'packed', { batch_id: '00000000-0000-8000-8000-000000000000', chunks: 3 });
    await j.advance('a.mcap', 'uploading');
    const again = await DriveJournal.open(dir);
    expect(again.get('a.mcap')).toMatchObject({ state: 'uploading', chunks: 3 });
    await again.advance('a.mcap', 'uploaded');
    await again.advance('a.mcap', 'complete');
    expect((await readJournal(dir))[0]?.state).toBe('complete');
  });
  it('refuses illegal moves with a stable code; detect is idempotent', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-journal-'));
    const j = await DriveJournal.open(dir);
    await j.detect('a.mcap', 10);
    await j.detect('a.mcap', 99);
    expect(j.get('a.mcap')?.size).toBe(10);
    await expect(j.advance('a.mcap', 'complete')).rejects.toMatchObject({ code: 'BAD_TRANSITION' });
    expect(canAdvance('complete', 'uploading')).toBe(false);
    expect(canAdvance('detected', 'quarantined')).toBe(true);
  });
  it('concurrent changes all reach the file (writes are serialised)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-journal-'));
    const j = await DriveJournal.open(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => j.detect(`d${i}.mcap`, i)));
    const onDisk = JSON.parse(await readFile(path.join(dir, 'journal.json'), 'utf8')) as { drives: unknown[] };
    expect(onDisk.drives).toHaveLength(20);
  });
});
