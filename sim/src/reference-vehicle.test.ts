import { parse } from '@foxglove/rosmsg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_SCHEMAS, PERCEPTION_SUMMARY_DESCRIPTOR, REFERENCE_TOPICS, ros2MsgSchema, writeDrive } from './index.js';
import { readDrive, type DecodedDrive } from './testing/read-drive.js';

const text = new TextDecoder();

describe('ros2msg schemas', () => {
  it('concatenate dependencies the way rosbag2 does', () => {
    const s = ros2MsgSchema('diagnostic_msgs/msg/DiagnosticArray');
    const parts = s.split(`\n${'='.repeat(80)}\n`);
    expect(parts[0]).toBe('std_msgs/Header header\nDiagnosticStatus[] status\n');
    expect(parts.slice(1).map((p) => p.split('\n')[0])).toEqual([
      'MSG: diagnostic_msgs/DiagnosticStatus',
      'MSG: diagnostic_msgs/KeyValue',
      'MSG: std_msgs/Header',
      'MSG: builtin_interfaces/Time',
    ]);
  });

  it.each(REFERENCE_TOPICS.filter((t) => t.schemaEncoding === 'ros2msg').map((t) => [t.topic, t]))(
    '%s parses with @foxglove/rosmsg',
    (_topic, spec) => {
      const defs = parse(text.decode(spec.schemaData), { ros2: true });
      expect(defs[0]?.name).toBeUndefined(); // the root type comes first, unnamed
      expect(defs.length).toBeGreaterThan(1);
    },
  );

  it('SensorHeartbeat has header, seq, count, status', () => {
    const [root] = parse(ros2MsgSchema('argus_msgs/msg/SensorHeartbeat'), { ros2: true });
    expect(root?.definitions.map((d) => `${d.type} ${d.name}`)).toEqual([
      'std_msgs/Header header', 'uint32 seq', 'uint32 count', 'uint8 status',
    ]);
  });
});

describe('JSON and protobuf schemas', () => {
  let dir: string;
  let drive: DecodedDrive;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'argus-sim-schema-'));
    const r = await writeDrive({ out: join(dir, 'd.mcap'), seed: 3, durationS: 5 });
    drive = await readDrive(r.path);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(REFERENCE_TOPICS.filter((t) => t.messageEncoding === 'json').map((t) => [t.topic, t]))(
    '%s messages carry exactly the schema properties, with their types',
    (topic, spec) => {
      const schema = JSON.parse(text.decode(spec.schemaData));
      expect(schema).toEqual(JSON_SCHEMAS[spec.schemaName]);
      expect(schema.title).toBe(spec.schemaName);
      const msgs = drive.topics[topic] ?? [];
      expect(msgs.length).toBeGreaterThan(0);
      for (const { msg } of msgs) {
        expect(Object.keys(msg).sort()).toEqual(Object.keys(schema.properties).sort());
        for (const [k, p] of Object.entries(schema.properties as Record<string, { type: string; enum?: string[] }>)) {
          const v = msg[k];
          if (p.type === 'integer') expect(Number.isInteger(v), `${topic}.${k}`).toBe(true);
          else expect(typeof v, `${topic}.${k}`).toBe(p.type);
          if (p.enum) expect(p.enum).toContain(v);
        }
      }
    },
  );

  it('perception summary schema is a FileDescriptorSet and messages decode from it', () => {
    const set = descriptor.FileDescriptorSet.decode(PERCEPTION_SUMMARY_DESCRIPTOR) as unknown as {
      file: { name: string; package: string; messageType: { name: string; field: { name: string; type: number }[] }[] }[];
    };
    const file = set.file[0];
    expect(file?.package).toBe('argus');
    const msg = file?.messageType[0];
    expect(msg?.name).toBe('PerceptionSummary');
    expect(msg?.field.find((f) => f.name === 'num_objects')?.type).toBe(13); // uint32
    expect(msg?.field.find((f) => f.name === 'latency_ms')?.type).toBe(1); // double
    const summaries = drive.topics['/perception/summary'] ?? [];
    expect(summaries.length).toBeGreaterThan(40);
    for (const { msg: m } of summaries) {
      expect(m.num_objects).toBe(m.counts.vehicles + m.counts.pedestrians + m.counts.cyclists + m.counts.other);
      expect(m.latency_ms).toBeGreaterThanOrEqual(20);
    }
  });
});
