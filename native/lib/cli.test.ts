// argus-parse CLI: files laid out per topic plus summary.json; bad input exits 1.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it, vi } from 'vitest';

import { main, topicDir } from './cli.js';
import { sharedPath } from './shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('argus-parse', () => {
  it('writes part files per topic and summary.json', async () => {
    const out = join(dir, 'talker');
    const code = await main([sharedPath('recordings-public', 'rosbag2_talker.mcap'), '--out', out, '--exclude', '/topic']);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['__rosout', 'summary.json']);
    const csv = readFileSync(join(out, '__rosout', 'part-0000.csv'), 'utf8');
    expect(csv.startsWith('log_time_ns,publish_time_ns,sequence,stamp.sec,')).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { topics: { topic: string; messageCount: number }[] };
    expect(summary.topics.find((t) => t.topic === '/rosout')!.messageCount).toBe(10);
  });

  it('exits 1 with the error code on a file that is not MCAP', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main([sharedPath('recordings-public', 'README.md'), '--out', join(dir, 'bad')]);
    expect(code).toBe(1);
    expect(String(err.mock.calls.at(-1)?.[0])).toContain('BAD_MAGIC');
    err.mockRestore();
    expect(existsSync(join(dir, 'bad', 'summary.json'))).toBe(false);
  });

  it('exits 2 with usage when arguments are missing', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main([])).toBe(2);
    err.mockRestore();
  });

  it('thins topics with --decimate and refuses a malformed --max-rate with exit 2', async () => {
    const out = join(dir, 'thin');
    expect(await main([sharedPath('recordings-public', 'rosbag2_talker.mcap'), '--out', out, '--topics', '/rosout', '--decimate', '/rosout=2'])).toBe(0);
    const rows = readFileSync(join(out, '__rosout', 'part-0000.csv'), 'utf8').trim().split('\r\n');
    expect(rows.length - 1).toBe(5);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main([sharedPath('recordings-public', 'rosbag2_talker.mcap'), '--out', join(dir, 'x'), '--max-rate', '/rosout=fast'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toContain("--max-rate: '/rosout=fast' is not topic=number");
    expect(await main([sharedPath('recordings-public', 'rosbag2_talker.mcap'), '--out', join(dir, 'x'), '--decimate', '/rosout=0'])).toBe(2);
    expect(String(err.mock.calls[1]?.[0])).toContain("decimate['/rosout'] must be an integer >= 1");
    err.mockRestore();
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('writes the same files on one thread and on four, and refuses --threads 0 with exit 2', async () => {
    const file = sharedPath('recordings-public', 'rosbag2_wbag_0.mcap');
    const read = (out: string): string[] => readdirSync(out, { recursive: true }).map(String).sort().map((f) => `${f}\n${existsSync(join(out, f)) && f.endsWith('.csv') ? readFileSync(join(out, f), 'utf8') : ''}`);
    expect(await main([file, '--out', join(dir, 't1'), '--threads', '1'])).toBe(0);
    expect(await main([file, '--out', join(dir, 't4'), '--threads', '4'])).toBe(0);
    const one = read(join(dir, 't1'));
    expect(one.some((f) => f.includes('.csv\nlog_time_ns'))).toBe(true);
    expect(read(join(dir, 't4'))).toEqual(one);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main([file, '--out', join(dir, 't0'), '--threads', '0'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toContain('threads must be an integer 1 … 64 (got 0)');
    err.mockRestore();
  });

  it('maps topic names to directory names', () => {
    expect(topicDir('/vehicle/imu')).toBe('__vehicle__imu');
    expect(topicDir('/a b:c')).toBe('__a_b_c');
  });
});
