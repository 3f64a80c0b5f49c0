import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type QuarantineNotice } from '@argus/shared';
import { openDatabase, type Database } from '../db/database.js';
import { PgQuarantineLog } from './quarantine-log.js';

const notice = (vin: string, name: string, code = 'BAD_MAGIC'): QuarantineNotice => ({
  v: 1, vin, recording: { name, bytes: 1234 }, code, reason: `${code}: not an MCAP file at byte offset 0`, at: '2026-11-22T03:00:00.000Z',
});

describe('PgQuarantineLog (PGlite)', () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-quarantine-'));
    db = await openDatabase({ dataDir: dir, log: createLogger('silent', {}, () => undefined) });
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps one row per vehicle recording, counts re-reports, lists newest first and by vehicle', async () => {
    const q = new PgQuarantineLog(db.pool);
    const a = 'J7ABC00000000000A';
    const b = 'K1XYZ00000000000B';
    expect(await q.record(notice(a, 'drive-1.mcap'))).toEqual({ duplicate: false });
    expect(await q.record(notice(b, 'drive-9.mcap', 'NO_MESSAGES'))).toEqual({ duplicate: false });
    expect(await q.record(notice(a, 'drive-1.mcap', 'TRUNCATED'))).toEqual({ duplicate: true });
    const all = await q.list({ limit: 10 });
    expect(all.map((r) => `${r.vin}/${r.recording_name}`)).toEqual([`${a}/drive-1.mcap`, `${b}/drive-9.mcap`]);
    expect(all[0]).toMatchObject({ code: 'TRUNCATED', reports: 2, recording_bytes: 1234, quarantined_at: '2026-11-22T03:00:00.000Z' });
    expect(all[0]?.received_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await q.list({ vin: b, limit: 10 })).map((r) => r.code)).toEqual(['NO_MESSAGES']);
    expect(await q.list({ limit: 1 })).toHaveLength(1);
  });
});
