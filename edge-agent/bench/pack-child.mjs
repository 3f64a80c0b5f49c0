// bench:edge child: packs one recording with the compiled agent (dist/, plain
// node, no TypeScript loader — as the vehicle runs it) and prints wall, CPU,
// peak RSS and outbox bytes as one JSON line.
// Usage: node pack-child.mjs <file.mcap> <stateDir> <zstd-1|gzip-1|…> <chunkBytes>
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { packRecording } from '../dist/agent.mjs';

const [file, stateDir, codecName, chunkBytes] = process.argv.slice(2);
const [encoding, level] = codecName.split('-');
const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };

async function dirBytes(d) {
  let n = 0;
  for (const e of await readdir(d, { withFileTypes: true, recursive: true })) if (e.isFile()) n += (await stat(path.join(e.parentPath, e.name))).size;
  return n;
}

const baseRss = process.memoryUsage().rss / 1048576;
const r0 = process.resourceUsage();
const c0 = process.cpuUsage();
const t0 = performance.now();
const b = await packRecording(file, { stateDir, log: silent, codec: { encoding, level: Number(level) }, parse: { chunkBytes: Number(chunkBytes) } });
const wall = (performance.now() - t0) / 1000;
const u = process.cpuUsage(c0);
const r1 = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ wall_s: wall, cpu_s: (u.user + u.system) / 1e6, user_s: u.user / 1e6, system_s: u.system / 1e6, page_faults: r1.minorPageFault - r0.minorPageFault, peak_rss_mb: r1.maxRSS / 1024, rss_at_start_mb: baseRss, outbox_bytes: await dirBytes(b.dir), chunks: b.frames.length })}\n`);
