// Writes small MCAP seed files (json, protobuf, cdr; none/zstd/lz4) into
// ./corpus for the fuzz target. Run: npx tsx native/test/fuzz/make-corpus.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg2-serialization';

import { buildMcap } from '../../lib/test-support.js';

const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as typeof import('protobufjs');
const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorSet: import('protobufjs').Type };
const enc = new TextEncoder();
const out = join(dirname(fileURLToPath(import.meta.url)), 'corpus');
mkdirSync(out, { recursive: true });

const rosText = 'std_msgs/Header header\nfloat64[3] v\nfloat32[] r\nuint8[] blob\nstring[] names\nP[] ps\nwstring w\n' +
  '===\nMSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id\n===\nMSG: x/P\nint64 a\nbool b\n';
const rosDefs = parse(rosText.replace('wstring w\n', ''), { ros2: true });
const rw = new MessageWriter(rosDefs);
const root = protobuf.parse('syntax="proto3"; message In { sint64 a = 1; repeated float f = 2; } message M { int32 x = 1; repeated In ins = 2; bytes b = 3; string s = 4; repeated uint64 u = 5; }').root;
const M = root.lookupType('M');
const pbSchema = descriptor.FileDescriptorSet.encode((root as unknown as { toDescriptor(s: string): import('protobufjs').Message }).toDescriptor('proto3')).finish();

for (const compression of ['', 'zstd', 'lz4'] as const) {
  const bytes = await buildMcap(
    [
      { topic: '/json', messageEncoding: 'json', schema: { name: 'J', encoding: 'jsonschema', data: enc.encode('{"type":"object","properties":{"a":{"type":"number"},"o":{"type":"object","properties":{"b":{"type":"string"}}},"v":{"type":"array","items":{"type":"integer"}}}}') },
        messages: [1, 2, 3].map((i) => ({ logTime: BigInt(i), data: enc.encode(JSON.stringify({ a: i / 3, o: { b: `s\u00e9"${i}` }, v: [i, -i], x: [{ y: null }] })) })) },
      { topic: '/ros', messageEncoding: 'cdr', schema: { name: 'x/msg/T', encoding: 'ros2msg', data: enc.encode(rosText.replace('wstring w\n', '')) },
        messages: [1, 2].map((i) => ({ logTime: BigInt(i), data: rw.writeMessage({ header: { stamp: { sec: i, nanosec: 1 }, frame_id: 'f' }, v: [1, 2, 3], r: new Float32Array([i]), blob: new Uint8Array(5), names: ['a'], ps: [{ a: BigInt(i), b: true }] }) })) },
      { topic: '/pb', messageEncoding: 'protobuf', schema: { name: 'M', encoding: 'protobuf', data: pbSchema },
        messages: [1, 2].map((i) => ({ logTime: BigInt(i), data: M.encode(M.fromObject({ x: -i, ins: [{ a: -5, f: [1.5, 2] }], b: Buffer.from([1, 2]), s: 'pb', u: [1, 2, 3] })).finish() })) },
    ],
    { compression, chunkSize: 300, metadata: [{ name: 'vehicle', metadata: new Map([['vin', 'X']]) }] },
  );
  writeFileSync(join(out, `mixed-${compression || 'none'}.mcap`), bytes);
}
console.log('corpus written to', out);
