// Decodes the real ROS 2 recordings and compares every cell against an
// independent decoder: @mcap/core + @foxglove/rosmsg + rosmsg2-serialization.
import { readFileSync } from 'node:fs';

import { parse } from '@foxglove/rosmsg';
import { MessageReader } from '@foxglove/rosmsg2-serialization';
import { describe, expect, it } from 'vitest';

import { parseBuffer, parseRecording } from './index.js';
import { collectRecording, leafPaths, referenceMessages, sameCell, topicRows, valueAt } from './test-support.js';
import { sharedPath } from './shared-data.js';

const DIR = sharedPath('recordings-public');
const FILES = ['rosbag2_talker', 'rosbag2_wbag_0', 'rosbag2_only_topics', 'rosbag2_cdr_test_0'];

describe.each(FILES)('%s.mcap', (name) => {
  const path = `${DIR}/${name}.mcap`;
  const bytes = readFileSync(path);

  it('decodes every message like the reference decoder', { timeout: 60_000 }, async () => {
    const { chunks, summary } = await parseBuffer(bytes);
    expect(summary.truncated).toBe(false);
    expect(summary.problems).toEqual([]);
    const ref = referenceMessages(bytes);
    expect(ref.length).toBeGreaterThan(0);
    const topics = [...new Set(ref.map((m) => m.topic))];
    let cells = 0;
    for (const topic of topics) {
      const msgs = ref.filter((m) => m.topic === topic);
      const first = msgs[0]!;
      const reader = new MessageReader(parse(new TextDecoder().decode(first.schemaData), { ros2: true }));
      const decoded = msgs.map((m) => reader.readMessage(m.data));
      const ts = summary.topics.find((t) => t.topic === topic)!;
      expect(ts.messageCount).toBe(msgs.length);
      expect(ts.schemaName).toBe(first.schemaName);
      const rows = topicRows(chunks, topic);
      expect(rows.length).toBe(msgs.length);
      // Every leaf of the message is covered by a column (directly, indexed, .len or a JSON column).
      for (const leaf of leafPaths(decoded[0])) {
        const covered = ts.columns.some((c) => c === leaf || c.startsWith(`${leaf}.`) || leaf.startsWith(`${c}.`));
        expect(covered, `${topic}: ${leaf} has no column`).toBe(true);
      }
      rows.forEach((row, i) => {
        expect(row.log_time_ns).toBe(msgs[i]!.logTime.toString());
        expect(row.publish_time_ns).toBe(msgs[i]!.publishTime.toString());
        expect(row.sequence).toBe(String(msgs[i]!.sequence));
        for (const col of ts.columns) {
          const ref = valueAt(decoded[i], col);
          expect(ref.found, `${topic} column ${col} not in the reference message`).toBe(true);
          expect(sameCell(row[col]!, ref.value), `${topic}[${i}].${col}: ${row[col]} vs ${String(ref.value)}`).toBe(true);
          cells++;
        }
      });
    }
    expect(cells).toBeGreaterThan(0);
  });

  it('streams from the file with the same result as from memory', async () => {
    const a = await collectRecording(path);
    const b = await parseBuffer(bytes);
    expect(a.summary).toEqual(b.summary);
    expect(a.chunks.map((c) => c.csv.toString())).toEqual(b.chunks.map((c) => c.csv.toString()));
  });
});

describe('parseRecording lifecycle', () => {
  it('can be stopped after the first chunk', async () => {
    const it = parseRecording(`${DIR}/rosbag2_wbag_0.mcap`, { chunkBytes: 256 });
    const first = await it.next();
    expect(first.done).toBe(false);
    const end = await it.return(undefined as never);
    expect(end.done).toBe(true);
  });

  it('rejects a missing file with the fs error', async () => {
    await expect(parseRecording(`${DIR}/nope.mcap`).next()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('flattening of real ROS 2 types', () => {
  it('writes arrays of structs as one compact JSON column', async () => {
    const { chunks, summary } = await parseBuffer(readFileSync(`${DIR}/rosbag2_only_topics.mcap`));
    const ts = summary.topics.find((t) => t.topic === '/parameter_events')!;
    expect(ts.columns).toEqual(['stamp.sec', 'stamp.nanosec', 'node', 'new_parameters', 'changed_parameters', 'deleted_parameters']);
    const row = topicRows(chunks, '/parameter_events')[0]!;
    expect(row.new_parameters).toMatch(/^\[\{"name":"use_sim_time","value":\{"type":1,"bool_value":false,/);
    expect(row.deleted_parameters).toBe('[]');
  });

  it('expands fixed arrays and sizes bounded/unbounded ones', async () => {
    const { summary } = await parseBuffer(readFileSync(`${DIR}/rosbag2_cdr_test_0.mcap`));
    const cols = summary.topics.find((t) => t.topic === '/array_topic')!.columns;
    expect(cols).toContain('float64_values.2');
    expect(cols).toContain('int64_values.0');
    expect(cols).not.toContain('float64_values.3');
    expect(cols).toContain('string_values');
  });
});
