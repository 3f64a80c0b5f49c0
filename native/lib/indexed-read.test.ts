// Indexed reads: with a topic or time filter, parseRecording reads only the
// chunks the summary's chunk indexes select, and the output equals a full
// streamed parse with the same filter.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { globToRegExp } from './indexed-plan.js';
import { parseBuffer, parseRecording } from './index.js';
import { buildMcap, topicRows } from './test-support.js';
import type { CsvChunk, ParseOptions, RecordingSummary } from './types.js';
import { sharedPath } from './shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'argus-indexed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(path: string, opts: ParseOptions): Promise<{ chunks: CsvChunk[]; summary: RecordingSummary }> {
  const it = parseRecording(path, opts);
  const chunks: CsvChunk[] = [];
  for (let r = await it.next(); ; r = await it.next()) {
    if (r.done) return { chunks, summary: r.value };
    chunks.push(r.value);
  }
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const channels = [
  { topic: '/a/imu', messageEncoding: 'json', messages: Array.from({ length: 400 }, (_, i) => ({ logTime: BigInt(i * 10), data: json({ i, pad: 'x'.repeat(50) }) })) },
  { topic: '/a/gps', messageEncoding: 'json', messages: Array.from({ length: 30 }, (_, i) => ({ logTime: BigInt(i * 133), data: json({ lat: 48 + i / 1000 }) })) },
  { topic: '/b/cam', messageEncoding: 'json', messages: Array.from({ length: 200 }, (_, i) => ({ logTime: BigInt(2000 + i), data: json({ frame: i, pad: 'y'.repeat(200) }) })) },
];

describe('indexed reading', () => {
  it('reads only the chunks of the wanted topics and matches a full parse', async () => {
    const bytes = await buildMcap(channels, { compression: 'zstd', chunkSize: 2048, metadata: [{ name: 'vehicle', metadata: new Map([['vin', 'V1']]) }] });
    const path = join(dir, 'multi.mcap');
    writeFileSync(path, bytes);
    const opts = { topics: ['/b/*'] };
    const indexed = await collect(path, opts);
    const streamed = await parseBuffer(bytes, opts);
    expect(indexed.summary.bytesRead).toBeLessThan(bytes.length * 0.9);
    expect(streamed.summary.bytesRead).toBe(bytes.length);
    expect(indexed.chunks.map((c) => c.csv.toString())).toEqual(streamed.chunks.map((c) => c.csv.toString()));
    expect(topicRows(indexed.chunks, '/b/cam')).toHaveLength(200);
    expect(indexed.summary.truncated).toBe(false);
    expect(indexed.summary.problems).toEqual([]);
    expect(indexed.summary.vehicle).toEqual({ vin: 'V1' });
    // Unread topics still get their message counts from the Statistics record.
    expect(indexed.summary.topics.find((t) => t.topic === '/a/gps')!.messageCount).toBe(30);
  });

  it('selects chunks and messages by time range', async () => {
    const bytes = await buildMcap(channels, { chunkSize: 2048 });
    const path = join(dir, 'time.mcap');
    writeFileSync(path, bytes);
    const opts = { topics: ['/a/imu'], startTimeNs: 1000n, endTimeNs: '1500' };
    const indexed = await collect(path, opts);
    const rows = topicRows(indexed.chunks, '/a/imu');
    expect(rows.map((r) => Number(r.log_time_ns))).toEqual(Array.from({ length: 50 }, (_, k) => 1000 + k * 10));
    expect(indexed.summary.bytesRead).toBeLessThan(bytes.length / 2);
    const streamed = await parseBuffer(bytes, opts);
    expect(indexed.chunks.map((c) => c.csv.toString())).toEqual(streamed.chunks.map((c) => c.csv.toString()));
  });

  it('matches the streamed result on a real rosbag2 recording', async () => {
    const path = sharedPath('recordings-public', 'rosbag2_talker.mcap');
    const opts = { topics: ['/topic'] };
    const indexed = await collect(path, opts);
    const streamed = await parseBuffer(readFileSync(path), opts);
    expect(indexed.chunks.map((c) => c.csv.toString())).toEqual(streamed.chunks.map((c) => c.csv.toString()));
    expect(topicRows(indexed.chunks, '/topic')).toHaveLength(10);
  });

  it('globs match like the native matcher', () => {
    expect(globToRegExp('/a/*').test('/a/b/c')).toBe(true);
    expect(globToRegExp('/a/*').test('/b/a')).toBe(false);
    expect(globToRegExp('/a.b').test('/aXb')).toBe(false);
    expect(globToRegExp('*imu*').test('/vehicle/imu/raw')).toBe(true);
  });
});
