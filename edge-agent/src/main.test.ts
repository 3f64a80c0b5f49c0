import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DownlinkStore } from './downlink-store.js';
import { DriveJournal } from './journal.js';
import { main } from './main.js';
import { writeProgress } from './progress.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

describe('argus-agent CLI', () => {
  afterEach(() => vi.restoreAllMocks());

  it('status prints drives, upload progress with rate and ETA, the last diagnosis and pending recommendations', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-cli-'));
    const stateDir = path.join(dir, 'state');
    const cfgFile = path.join(dir, 'agent.json');
    await writeFile(cfgFile, JSON.stringify({ token: 't', stateDir }));
    const j = await DriveJournal.open(stateDir);
    await j.detect('a.mcap', 10);
    await j.advance('a.mcap', 'packed', { batch_id: '0c78aa37-87c0-8df0-ab19-711052e2760a', chunks: 40 });
    await j.advance('a.mcap', 'uploading');
    await writeProgress(stateDir, { mqtt_connected: true, at: Date.now(), progress: { batch_id: '0c78aa37-87c0-8df0-ab19-711052e2760a', recording: 'a.mcap', chunks_total: 40, chunks_sent: 10, bytes_sent: 100_000, started_at: Date.now() - 10_000, via: 'mqtt' } });
    const store = new DownlinkStore(stateDir);
    await store.putRecommendation({ v: 1, recommendation_id: 'r1', vin: 'LJ8E3C1M3NU080181', fault_code: '0xA001', cause_id: null, target: { component: 'adcu', version: '4.6.2' }, current_version: '4.5.9', note: 'fan curve', created_at: 'x' });
    const io = capture();
    expect(await main(['status', '--config', cfgFile])).toBe(0);
    const text = io.out();
    expect(text).toContain('a.mcap  uploading  batch 0c78aa37  40 chunks');
    expect(text).toMatch(/via mqtt: 10\/40 chunks, 0\.10 MB, [\d.]+ kB\/s, ETA \d+ s/);
    expect(text).toContain('last diagnosis: none');
    expect(text).toContain('adcu → 4.6.2 (0xA001, now 4.5.9): fan curve');
  });

  it('refuses a bad config listing every bad key, exit code 2', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-cli-'));
    const cfgFile = path.join(dir, 'agent.json');
    await writeFile(cfgFile, JSON.stringify({ token: 't', chunkBytes: 'big', nicety: 1 }));
    const io = capture();
    expect(await main(['check-config', '--config', cfgFile])).toBe(2);
    expect(io.err()).toContain('chunkBytes');
    expect(io.err()).toContain('nicety');
  });
});
