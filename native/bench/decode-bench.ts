// Benchmark: native parse (decode + flatten + CSV) vs @mcap/core reading and
// @foxglove/rosmsg2-serialization decoding the same file (no CSV at all).
// Run: npx tsx native/bench/decode-bench.ts [messages]
import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';

import { parseBuffer } from '../lib/index.js';
import { buildMcap, referenceMessages } from '../lib/test-support.js';

const IMU = `std_msgs/Header header
geometry_msgs/Quaternion orientation
float64[9] orientation_covariance
geometry_msgs/Vector3 angular_velocity
float64[9] angular_velocity_covariance
geometry_msgs/Vector3 linear_acceleration
float64[9] linear_acceleration_covariance
================================================================================
MSG: std_msgs/Header
builtin_interfaces/Time stamp
string frame_id
================================================================================
MSG: geometry_msgs/Quaternion
float64 x
float64 y
float64 z
float64 w
================================================================================
MSG: geometry_msgs/Vector3
float64 x
float64 y
float64 z`;

const n = Number(process.argv[2] ?? 200000);
const defs = parse(IMU, { ros2: true });
const w = new MessageWriter(defs);
const cov = Array.from({ length: 9 }, (_, i) => i * 0.01);
const messages = Array.from({ length: n }, (_, i) => ({
  logTime: BigInt(i) * 10_000_000n,
  data: w.writeMessage({
    header: { stamp: { sec: 1700000000 + Math.floor(i / 100), nanosec: (i % 100) * 10_000_000 }, frame_id: 'imu_link' },
    orientation: { x: Math.sin(i), y: Math.cos(i), z: 0.001 * i, w: 1 },
    orientation_covariance: cov, angular_velocity: { x: i * 1e-3, y: -i * 1e-3, z: 0.5 }, angular_velocity_covariance: cov,
    linear_acceleration: { x: 0.1, y: 0.2, z: 9.81 + Math.sin(i) * 0.01 }, linear_acceleration_covariance: cov,
  }),
}));
const bytes = await buildMcap([{ topic: '/imu', messageEncoding: 'cdr', schema: { name: 'sensor_msgs/msg/Imu', encoding: 'ros2msg', data: new TextEncoder().encode(IMU) }, messages }], { compression: 'zstd', chunkSize: 1 << 20 });
if (process.env.BENCH_DUMP) (await import("node:fs")).writeFileSync(process.env.BENCH_DUMP, bytes);
console.log(`file: ${(bytes.length / 1e6).toFixed(1)} MB, ${n} messages`);

function time(label: string, f: () => unknown): number {
  const t0 = process.hrtime.bigint();
  f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label}: ${ms.toFixed(0)} ms (${((bytes.length / 1e6) / (ms / 1000)).toFixed(0)} MB/s, ${(n / (ms / 1000) / 1e6).toFixed(2)} M msg/s)`);
  return ms;
}

const reader = new MessageReader(defs);
const ref = time('@mcap/core + rosmsg2-serialization', () => {
  for (const m of referenceMessages(bytes)) reader.readMessage(m.data);
});
const t0 = process.hrtime.bigint();
const { chunks } = await parseBuffer(bytes);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`argus native (decode+flatten+CSV): ${ms.toFixed(0)} ms, ${chunks.length} chunks, ${(chunks.reduce((s, c) => s + c.csv.length, 0) / 1e6).toFixed(0)} MB CSV`);
console.log(`decode_ratio = ${(ref / ms).toFixed(1)}`);
