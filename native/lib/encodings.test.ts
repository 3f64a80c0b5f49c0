// Message encodings (json, cdr/ros2msg, protobuf), chunk compression and
// parse options, on small MCAP files written here with @mcap/core's McapWriter.
import { createRequire } from 'node:module';

import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';
import { describe, expect, it } from 'vitest';

import { parseBuffer } from './index.js';
import { buildMcap, parseCsv, sameCell, topicRows, valueAt } from './test-support.js';

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as typeof import('protobufjs');
const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorSet: import('protobufjs').Type };

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v));

describe('json messages', () => {
  const schema = {
    type: 'object',
    properties: {
      speed: { type: 'number' },
      gear: { type: 'integer' },
      odometer: { type: 'integer' },
      ok: { type: 'boolean' },
      note: { type: 'string' },
      pose: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } },
      wheels: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 },
      tags: { type: 'array', items: { type: 'string' } },
    },
  };
  const messages = [
    // The literals below are beyond 2^53 on purpose: the JSON text carries them exactly and the parser must too.
    // eslint-disable-next-line no-loss-of-precision
    { speed: 12.5, gear: 3, odometer: 9007199254740993, ok: true, note: 'a,b "c"\nd', pose: { x: 0.1, y: -2 }, wheels: [1, 2, 3, 4], tags: ['x'] },
    // eslint-disable-next-line no-loss-of-precision
    { speed: 1e-7, gear: -1, odometer: 18446744073709551615, ok: false, note: '', pose: { x: 1 }, wheels: [5, 6, 7, 8], tags: [] },
  ];

  it('takes columns from the jsonschema and keeps integers exact', async () => {
    const bytes = await buildMcap([
      {
        topic: '/vehicle/state',
        messageEncoding: 'json',
        schema: { name: 'State', encoding: 'jsonschema', data: json(schema) },
        messages: messages.map((m, i) => ({ logTime: BigInt(i + 1) * 1000n, data: enc.encode(JSON.stringify(m).replace('9007199254740992', '9007199254740993').replace('18446744073709552000', '18446744073709551615')) })),
      },
    ]);
    const { chunks, summary } = await parseBuffer(bytes);
    const ts = summary.topics[0]!;
    expect(ts.columns).toEqual(['speed', 'gear', 'odometer', 'ok', 'note', 'pose.x', 'pose.y', 'wheels.0', 'wheels.1', 'wheels.2', 'wheels.3', 'tags']);
    const text = chunks[0]!.csv.toString();
    expect(text.split('\r\n')[0]).toBe('log_time_ns,publish_time_ns,sequence,' + ts.columns.join(','));
    expect(text).toContain('"a,b ""c""\nd"');
    const rows = topicRows(chunks, '/vehicle/state');
    expect(rows[0]).toMatchObject({ speed: '12.5', gear: '3', odometer: '9007199254740993', ok: 'true', 'pose.x': '0.1', 'pose.y': '-2', 'wheels.3': '4', tags: '["x"]' });
    expect(rows[0]!.note).toBe('a,b "c"\nd');
    expect(rows[1]).toMatchObject({ speed: '1e-07', gear: '-1', odometer: '18446744073709551615', ok: 'false', 'pose.y': '', tags: '[]' });
    expect(ts.firstLogTimeNs).toBe('1000');
    expect(ts.lastLogTimeNs).toBe('2000');
    expect(ts.largestGapNs).toBe('1000');
  });

  it('without a schema takes columns from the first message', async () => {
    const bytes = await buildMcap([
      { topic: '/free', messageEncoding: 'json', messages: [{ logTime: 1n, data: json({ a: 1, b: { c: 'x' }, v: [1, 2] }) }, { logTime: 2n, data: json({ b: { c: 'y' }, z: 5, v: [3] }) }] },
    ]);
    const { chunks, summary } = await parseBuffer(bytes);
    expect(summary.topics[0]!.columns).toEqual(['a', 'b.c', 'v.len', 'v.0', 'v.1']);
    expect(topicRows(chunks, '/free')).toMatchObject([
      { a: '1', 'b.c': 'x', 'v.len': '2', 'v.0': '1', 'v.1': '2' },
      { a: '', 'b.c': 'y', 'v.len': '1', 'v.0': '3', 'v.1': '' },
    ]);
  });

  it('puts a non-object message in one "value" column', async () => {
    const bytes = await buildMcap([{ topic: '/arr', messageEncoding: 'json', messages: [{ logTime: 1n, data: json([{ a: 1 }]) }, { logTime: 2n, data: json('text') }] }]);
    const { chunks, summary } = await parseBuffer(bytes);
    expect(summary.topics[0]!.columns).toEqual(['value']);
    expect(topicRows(chunks, '/arr').map((r) => r.value)).toEqual(['[{"a":1}]', 'text']);
  });

  it('writes /diagnostics statuses as one compact JSON column', async () => {
    const status = [{ level: 2, name: 'lidar_front', message: 'no data received', hardware_id: '', values: [{ key: 'code', value: '0x8004' }] }];
    const bytes = await buildMcap([{ topic: '/diagnostics', messageEncoding: 'json', messages: [{ logTime: 5n, data: json({ header: { stamp: { sec: 1, nanosec: 2 } }, status }) }] }]);
    const { chunks } = await parseBuffer(bytes);
    const row = topicRows(chunks, '/diagnostics')[0]!;
    expect(row.status).toBe('[{"level":2,"name":"lidar_front","message":"no data received","hardware_id":"","values":[{"key":"code","value":"0x8004"}]}]');
    expect(row['header.stamp.sec']).toBe('1');
  });

  it('prints JSON numbers in their shortest round-trip form, whatever text they came in', async () => {
    // Texts that are already shortest are copied; the others are reformatted.
    // In 1e-3 <= |x| < 1e15 JavaScript's String(x) is that same form.
    const texts = ['0.1', '-0.42', '13.981', '1.50', '100.0', '1e2', '0.001', '0.00100', '-0.5', '0.25e1', '123456789012345.5',
      '0.1234567890123456', '0.30000000000000004', '9.99', '42', '-7', '0.010', '999999999999999.9', '1.000000000000001'];
    const body = `{${texts.map((t, i) => `"v${i}":${t}`).join(',')}}`;
    const bytes = await buildMcap([{ topic: '/n', messageEncoding: 'json', messages: [{ logTime: 1n, data: enc.encode(body) }, { logTime: 2n, data: enc.encode(body) }] }]);
    const { chunks } = await parseBuffer(bytes);
    for (const row of topicRows(chunks, '/n')) {
      texts.forEach((t, i) => expect(row[`v${i}`], t).toBe(String(Number(t))));
    }
  });

  it('reports a message that does not decode and goes on', async () => {
    const bytes = await buildMcap([{ topic: '/j', messageEncoding: 'json', messages: [{ logTime: 1n, data: json({ a: 1 }) }, { logTime: 2n, data: enc.encode('{"a":') }, { logTime: 3n, data: json({ a: 3 }) }] }]);
    const { chunks, summary } = await parseBuffer(bytes);
    expect(topicRows(chunks, '/j').map((r) => r.a)).toEqual(['1', '3']);
    expect(summary.problems).toMatchObject([{ code: 'BAD_JSON', topic: '/j' }]);
    expect(summary.problems[0]!.offset).toBeGreaterThan(0);
  });
});

describe('cdr messages', () => {
  const text = [
    'std_msgs/Header header',
    'int8 i8',
    'uint8 u8',
    'int16 i16',
    'uint16 u16',
    'int32 i32',
    'uint32 u32',
    'int64 i64',
    'uint64 u64',
    'float32 f32',
    'float64 f64',
    'bool flag',
    'string label',
    'string<=8 short_label',
    'int32 CONSTANT=7',
    'float64[9] covariance',
    'float32[] ranges',
    'int16[<=3] bounded',
    'uint8[] payload',
    'string[] names',
    'Point[] points',
    '================================================================================',
    'MSG: std_msgs/Header',
    'builtin_interfaces/Time stamp',
    'string frame_id',
    '================================================================================',
    'MSG: argus_msgs/Point',
    'float64 x 1.5',
    'float64 y',
  ].join('\n');
  const defs = parse(text, { ros2: true });
  const writer = new MessageWriter(defs);
  const reader = new MessageReader(defs);
  const msg = (k: number) => ({
    header: { stamp: { sec: 1700000000 + k, nanosec: 999999999 }, frame_id: 'base_link' },
    i8: -128, u8: 255, i16: -32768, u16: 65535, i32: -2147483648, u32: 4294967295,
    i64: -9223372036854775808n, u64: 18446744073709551615n,
    f32: 0.1, f64: Math.PI * k, flag: k % 2 === 0, label: `he said "hi", then\nleft ${k}`, short_label: 'short',
    covariance: Array.from({ length: 9 }, (_, i) => i * 0.5 + k),
    ranges: new Float32Array(k === 0 ? [1.5, 2.5] : Array.from({ length: 40 }, (_, i) => i)),
    bounded: new Int16Array([k, -k]),
    payload: new Uint8Array(1000 + k),
    names: ['a', 'b,c'],
    points: [{ x: 1, y: 2 }, { x: -0.25, y: 1e300 }],
  });

  it('decodes every primitive, nested type and array kind like rosmsg2-serialization', async () => {
    const datas = [0, 1, 2].map((k) => writer.writeMessage(msg(k)));
    const bytes = await buildMcap([{ topic: '/rich', messageEncoding: 'cdr', schema: { name: 'argus_msgs/msg/Rich', encoding: 'ros2msg', data: enc.encode(text) }, messages: datas.map((d, i) => ({ logTime: BigInt(i), data: d })) }], { compression: 'zstd' });
    const { chunks, summary } = await parseBuffer(bytes);
    const ts = summary.topics[0]!;
    expect(summary.problems).toEqual([]);
    expect(ts.columns).toEqual([
      'header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'flag', 'label', 'short_label',
      ...Array.from({ length: 9 }, (_, i) => `covariance.${i}`),
      'ranges.len', 'ranges.0', 'ranges.1', 'bounded.len', 'bounded.0', 'bounded.1', 'bounded.2', 'payload.len', 'names', 'points',
    ]);
    const rows = topicRows(chunks, '/rich');
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const ref = reader.readMessage(datas[i]!);
      for (const col of ts.columns) {
        const v = valueAt(ref, col);
        expect(v.found, col).toBe(true);
        expect(sameCell(row[col]!, v.value), `${col}: ${row[col]} vs ${String(v.value)}`).toBe(true);
      }
    });
    expect(rows[0]).toMatchObject({ i64: '-9223372036854775808', u64: '18446744073709551615', f32: '0.1', 'payload.len': '1000', names: '["a","b,c"]', points: '[{"x":1,"y":2},{"x":-0.25,"y":1e+300}]' });
    expect(rows[1]!['ranges.len']).toBe('40');
    expect(rows[1]!['ranges.0']).toBe('0');
  });

  it('writes diagnostic_msgs/DiagnosticArray statuses as the JSON column the cloud reads', async () => {
    const diagText = [
      'std_msgs/Header header',
      'DiagnosticStatus[] status',
      '================================================================================',
      'MSG: diagnostic_msgs/DiagnosticStatus',
      'byte OK=0', 'byte WARN=1', 'byte ERROR=2', 'byte STALE=3',
      'byte level', 'string name', 'string message', 'string hardware_id', 'KeyValue[] values',
      '================================================================================',
      'MSG: diagnostic_msgs/KeyValue',
      'string key', 'string value',
      '================================================================================',
      'MSG: std_msgs/Header',
      'builtin_interfaces/Time stamp', 'string frame_id',
      '================================================================================',
      'MSG: builtin_interfaces/Time',
      'int32 sec', 'uint32 nanosec',
    ].join('\n');
    const w = new MessageWriter(parse(diagText, { ros2: true }));
    const data = w.writeMessage({
      header: { stamp: { sec: 1700000000, nanosec: 5 }, frame_id: '' },
      status: [{ level: 2, name: 'lidar_front', message: 'no data received', hardware_id: '', values: [{ key: 'code', value: '0x8004' }] }],
    });
    const bytes = await buildMcap([{ topic: '/diagnostics', messageEncoding: 'cdr', schema: { name: 'diagnostic_msgs/msg/DiagnosticArray', encoding: 'ros2msg', data: enc.encode(diagText) }, messages: [{ logTime: 9n, data }] }]);
    const { chunks, summary } = await parseBuffer(bytes);
    expect(summary.topics[0]!.columns).toEqual(['header.stamp.sec', 'header.stamp.nanosec', 'header.frame_id', 'status']);
    expect(topicRows(chunks, '/diagnostics')[0]!.status).toBe(
      '[{"level":2,"name":"lidar_front","message":"no data received","hardware_id":"","values":[{"key":"code","value":"0x8004"}]}]',
    );
  });

  it('reads big-endian CDR', async () => {
    const schemaText = 'int32 a\nfloat64 b\nstring s';
    const b = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 3);
    b.writeUInt16BE(0x0000, 0); // CDR_BE
    b.writeInt32BE(-5, 4);
    b.writeDoubleBE(2.5, 12); // aligned to 8 relative to the end of the header
    b.writeUInt32BE(3, 20);
    b.write('hi\0', 24);
    const bytes = await buildMcap([{ topic: '/be', messageEncoding: 'cdr', schema: { name: 'x/msg/Be', encoding: 'ros2msg', data: enc.encode(schemaText) }, messages: [{ logTime: 1n, data: b }] }]);
    const { chunks } = await parseBuffer(bytes);
    expect(topicRows(chunks, '/be')).toMatchObject([{ a: '-5', b: '2.5', s: 'hi' }]);
  });

  // From the second message of a topic on, rows are written straight from
  // the CDR bytes (no value tree); the first one is decoded into a tree to fix
  // the layout. Both must give the same cells and fail at the same byte.
  it('writes later messages from the bytes exactly as the first from its tree, and fails at the same place', async () => {
    const schema = { name: 'argus_msgs/msg/Rich', encoding: 'ros2msg', data: enc.encode(text) };
    const good = writer.writeMessage(msg(0));
    const d = writer.writeMessage(msg(1));
    const suffix = (m: string): string => m.slice(m.indexOf(' does not decode: '));
    let rowsCompared = 0;
    let errorsCompared = 0;
    const cuts = [...Array.from({ length: d.length }, (_, i) => i).filter((i) => i < 200 || i % 7 === 0), d.length];
    for (const cut of cuts) {
      const part = d.subarray(0, cut);
      const alone = await parseBuffer(await buildMcap([{ topic: '/r', messageEncoding: 'cdr', schema, messages: [{ logTime: 1n, data: part }] }]));
      const after = await parseBuffer(await buildMcap([{ topic: '/r', messageEncoding: 'cdr', schema, messages: [{ logTime: 0n, data: good }, { logTime: 1n, data: part }] }]));
      if (alone.summary.problems.length > 0) {
        expect(after.summary.problems.map((p) => suffix(p.message)), `cut ${cut}`).toEqual(alone.summary.problems.map((p) => suffix(p.message)));
        expect(after.summary.topics[0]!.rowCount).toBe(1);
        errorsCompared++;
      } else {
        const a = topicRows(alone.chunks, '/r')[0]!;
        const b = topicRows(after.chunks, '/r')[1]!;
        // Unbounded arrays take their width from the first message: compare the columns both have.
        for (const col of alone.summary.topics[0]!.columns) if (col in b) expect(b[col], `cut ${cut} ${col}`).toBe(a[col]);
        rowsCompared++;
      }
    }
    expect(errorsCompared).toBeGreaterThan(100);
    expect(rowsCompared).toBeGreaterThan(0);
  });

  it('reads wstring, big-endian and CDR2 (4-byte aligned 64-bit) messages, first and later ones alike', async () => {
    const schemaText = 'int32 a\nfloat64 b\nwstring w\nuint16[] v';
    // a=-5, b=2.5, w="hé😀" as 4-byte code units (the emoji as a UTF-16 surrogate pair), v=[1,2]
    const build = (big: boolean, cdr2: boolean): Buffer => {
      const units = [0x68, 0xe9, 0xd83d, 0xde00];
      const b = Buffer.alloc(64);
      b.writeUInt16BE(cdr2 ? (big ? 0x0006 : 0x0007) : (big ? 0x0000 : 0x0001), 0);
      let p = 4;
      const al = (n: number) => { while ((p - 4) % n) p++; };
      const u32 = (x: number) => {
        al(4);
        p = big ? b.writeUInt32BE(x, p) : b.writeUInt32LE(x, p);
      };
      u32(-5 >>> 0);
      al(cdr2 ? 4 : 8);
      p = big ? b.writeDoubleBE(2.5, p) : b.writeDoubleLE(2.5, p);
      u32(units.length);
      for (const c of units) u32(c);
      u32(2);
      for (const x of [1, 2]) {
        al(2);
        p = big ? b.writeUInt16BE(x, p) : b.writeUInt16LE(x, p);
      }
      return b.subarray(0, p);
    };
    for (const big of [false, true]) {
      for (const cdr2 of [false, true]) {
        const data = build(big, cdr2);
        const bytes = await buildMcap([{ topic: '/w', messageEncoding: 'cdr', schema: { name: 'x/msg/W', encoding: 'ros2msg', data: enc.encode(schemaText) }, messages: [{ logTime: 1n, data }, { logTime: 2n, data }] }]);
        const { chunks, summary } = await parseBuffer(bytes);
        expect(summary.problems, `big ${big} cdr2 ${cdr2}`).toEqual([]);
        const want = { a: '-5', b: '2.5', w: 'hé😀', 'v.len': '2', 'v.0': '1', 'v.1': '2' };
        expect(topicRows(chunks, '/w'), `big ${big} cdr2 ${cdr2}`).toMatchObject([want, want]);
      }
    }
  });

  it('reports a truncated message as a decode problem', async () => {
    const d = writer.writeMessage(msg(0));
    const bytes = await buildMcap([{ topic: '/rich', messageEncoding: 'cdr', schema: { name: 'argus_msgs/msg/Rich', encoding: 'ros2msg', data: enc.encode(text) }, messages: [{ logTime: 1n, data: d.subarray(0, 60) }] }]);
    const { summary } = await parseBuffer(bytes);
    expect(summary.problems).toMatchObject([{ code: 'BAD_CDR', topic: '/rich' }]);
    expect(summary.topics[0]!.decodeErrors).toBe(1);
  });
});

describe('protobuf messages', () => {
  const root = protobuf.parse(
    `syntax = "proto3"; package argus.test;
     message Inner { int32 a = 1; string s = 2; }
     enum Color { RED = 0; GREEN = 1; BLUE = 2; }
     message Outer {
       double d = 1; float f = 2; int64 i64 = 3; uint64 u64 = 4; sint32 s32 = 5; sint64 s64 = 6;
       fixed32 fx32 = 7; fixed64 fx64 = 8; sfixed32 sf32 = 9; sfixed64 sf64 = 10; bool b = 11;
       string name = 12; bytes blob = 13; Color color = 14; Inner inner = 15;
       repeated int32 packed = 16; repeated int32 unpacked = 17 [packed = false];
       repeated Inner items = 18; repeated string tags = 19; uint32 u32 = 20; int32 neg = 21;
     }`,
    { keepCase: true },
  ).root;
  const Outer = root.lookupType('argus.test.Outer');
  const set = (root as unknown as { toDescriptor(s: string): import('protobufjs').Message }).toDescriptor('proto3');
  const schemaData = descriptor.FileDescriptorSet.encode(set).finish();

  it('decodes scalars, enums, nested, packed and unpacked repeated fields', async () => {
    const m1 = Outer.encode(Outer.fromObject({
      d: 1.25, f: 0.1, i64: '-9223372036854775808', u64: '18446744073709551615', s32: -7, s64: '-9000000000', fx32: 4000000000, fx64: '12345678901234',
      sf32: -3, sf64: '-4', b: true, name: 'x,"y"', blob: Buffer.alloc(300), color: 2, inner: { a: 5, s: 'in' },
      packed: [1, -2, 300], unpacked: [7, 8], items: [{ a: 1, s: 'p' }, { a: 2 }], tags: ['t1', 't2'], u32: 4294967295, neg: -1,
    })).finish();
    const m2 = Outer.encode(Outer.fromObject({ name: 'empty' })).finish();
    const bytes = await buildMcap([{ topic: '/pb', messageEncoding: 'protobuf', schema: { name: 'argus.test.Outer', encoding: 'protobuf', data: schemaData }, messages: [{ logTime: 1n, data: m1 }, { logTime: 2n, data: m2 }] }], { compression: 'lz4' });
    const { chunks, summary } = await parseBuffer(bytes);
    expect(summary.problems).toEqual([]);
    expect(summary.topics[0]!.columns).toEqual([
      'd', 'f', 'i64', 'u64', 's32', 's64', 'fx32', 'fx64', 'sf32', 'sf64', 'b', 'name', 'blob.len', 'color', 'inner.a', 'inner.s',
      'packed.len', 'packed.0', 'packed.1', 'packed.2', 'unpacked.len', 'unpacked.0', 'unpacked.1', 'items', 'tags', 'u32', 'neg',
    ]);
    const [r1, r2] = topicRows(chunks, '/pb');
    expect(r1).toEqual({
      log_time_ns: '1', publish_time_ns: '1', sequence: '0',
      d: '1.25', f: '0.1', i64: '-9223372036854775808', u64: '18446744073709551615', s32: '-7', s64: '-9000000000', fx32: '4000000000', fx64: '12345678901234',
      sf32: '-3', sf64: '-4', b: 'true', name: 'x,"y"', 'blob.len': '300', color: '2', 'inner.a': '5', 'inner.s': 'in',
      'packed.len': '3', 'packed.0': '1', 'packed.1': '-2', 'packed.2': '300', 'unpacked.len': '2', 'unpacked.0': '7', 'unpacked.1': '8',
      items: '[{"a":1,"s":"p"},{"a":2,"s":""}]', tags: '["t1","t2"]', u32: '4294967295', neg: '-1',
    });
    // proto3 scalars without presence decode to their defaults; absent messages stay empty.
    expect(r2).toMatchObject({ d: '0', b: 'false', name: 'empty', 'blob.len': '0', 'inner.a': '', 'packed.len': '0', items: '[]' });
  });
});

describe('compression and options', () => {
  const channels = [
    { topic: '/a/imu', messageEncoding: 'json', messages: Array.from({ length: 100 }, (_, i) => ({ logTime: BigInt(i * 10), data: json({ i, v: [i, i + 1, i + 2] }) })) },
    { topic: '/a/gps', messageEncoding: 'json', messages: Array.from({ length: 30 }, (_, i) => ({ logTime: BigInt(i * 33), data: json({ lat: 48 + i / 1000 }) })) },
    { topic: '/b/cam', messageEncoding: 'json', messages: [{ logTime: 5n, data: json({ w: 640 }) }] },
  ];

  it('gives identical CSV for none, zstd and lz4 chunks and for unchunked files', async () => {
    const outs = [];
    for (const opts of [{ compression: '' as const }, { compression: 'zstd' as const }, { compression: 'lz4' as const }, { useChunks: false }]) {
      const { chunks, summary } = await parseBuffer(await buildMcap(channels, opts));
      expect(summary.problems).toEqual([]);
      outs.push(chunks.map((c) => `${c.topic}#${c.index}\n${c.csv.toString()}`).sort().join('\n'));
    }
    expect(new Set(outs).size).toBe(1);
    expect(outs[0]).toContain('/a/imu#0');
  });

  it('filters topics by name and glob, decimates and splits chunks with a header each', async () => {
    const bytes = await buildMcap(channels, { compression: 'zstd' });
    const { chunks, summary } = await parseBuffer(bytes, { topics: ['/a/*'], excludeTopics: ['/a/gps'], decimate: { '/a/imu': 3 }, chunkBytes: 200, arrayExpandLimit: 2 });
    expect([...new Set(chunks.map((c) => c.topic))]).toEqual(['/a/imu']);
    const imu = chunks.filter((c) => c.topic === '/a/imu');
    expect(imu.length).toBeGreaterThan(3);
    imu.forEach((c, i) => {
      expect(c.index).toBe(i);
      expect(c.csv.toString().startsWith('log_time_ns,publish_time_ns,sequence,i,v.len\r\n')).toBe(true);
      expect(c.csv.length).toBeLessThanOrEqual(200);
      expect(parseCsv(c.csv.toString()).length - 1).toBe(c.rows);
    });
    const rows = topicRows(chunks, '/a/imu');
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 34 }, (_, k) => String(k * 3)));
    const imuSum = summary.topics.find((t) => t.topic === '/a/imu')!;
    expect(imuSum.messageCount).toBe(100);
    expect(summary.topics.find((t) => t.topic === '/a/gps')!.selected).toBe(false);
  });

  it('caps the rate of a topic on log time (after decimation), and refuses bad options by name', async () => {
    const bytes = await buildMcap(channels, { compression: 'zstd' });
    // /a/imu has a message every 10 ns: at most 20 MHz keeps one per 50 ns.
    const capped = await parseBuffer(bytes, { topics: ['/a/imu'], maxRateHz: { '/a/*': 20_000_000 } });
    expect(topicRows(capped.chunks, '/a/imu').map((r) => r.i)).toEqual(Array.from({ length: 20 }, (_, k) => String(k * 5)));
    const both = await parseBuffer(bytes, { topics: ['/a/imu'], decimate: { '/a/imu': 3 }, maxRateHz: { '/a/imu': 20_000_000 } });
    expect(topicRows(both.chunks, '/a/imu').map((r) => r.i)).toEqual(Array.from({ length: 17 }, (_, k) => String(k * 6)));
    expect(both.summary.topics.find((t) => t.topic === '/a/imu')!.messageCount).toBe(100);
    await expect(parseBuffer(bytes, { decimate: { '/a/imu': 0 }, maxRateHz: { '/x': -1 } })).rejects.toThrow(
      /bad parse options: decimate\['\/a\/imu'\] must be an integer >= 1 \(got 0\); maxRateHz\['\/x'\] must be a rate in Hz > 0 \(got -1\)/,
    );
  });

  it('reports the vehicle metadata and other metadata', async () => {
    const bytes = await buildMcap(channels.slice(2), {
      metadata: [
        { name: 'vehicle', metadata: new Map([['vin', 'WVWZZZ1JZXW000001'], ['fleet', 'north']]) },
        { name: 'calibration', metadata: new Map([['lidar', 'v3']]) },
      ],
    });
    const { summary } = await parseBuffer(bytes);
    expect(summary.vehicle).toEqual({ vin: 'WVWZZZ1JZXW000001', fleet: 'north' });
    expect(summary.metadata.map((m) => m.name)).toEqual(['vehicle', 'calibration']);
    expect(summary.truncated).toBe(false);
    expect(summary.bytesRead).toBe(bytes.length);
  });
});
