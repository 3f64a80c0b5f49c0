// npm run bench:parser-rss — peak RSS while parsing a generated ~2 GB drive
// (uncompressed, cached in <repo>/.argus/bench/), target < 200 MB. CSV chunks
// are discarded as they arrive, as the edge agent's packer streams them out.
// The file is made by make-big-drive.ts in a child process: the 3000 s
// bench:parser drive (≈ 200 MB, shared cache) replayed --copies times.
// Options: --copies N (default 10 ≈ 2 GB), --limit-mb N (default 200).
// Exits 1 when the peak is over the limit. Last line: JSON figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseRecording } from '../lib/index.js';

// Measured as the edge agent runs (deploy/argus-agent.service): one glibc malloc
// arena. Per-thread arenas (the parser allocates on libuv worker threads) each
// grow to the working set and made the peak vary between 180 and 206 MB.
if (process.env['MALLOC_ARENA_MAX'] === undefined) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, MALLOC_ARENA_MAX: '1' } });
  process.exit(r.status ?? 1);
}
const argv = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const copies = opt('--copies', 10);
const SOURCE_S = 3000;
const limitMb = opt('--limit-mb', 200);
const cache = fileURLToPath(new URL('../../.argus/bench/', import.meta.url));
mkdirSync(cache, { recursive: true });
const file = join(cache, `parser-rss-${SOURCE_S}s-x${copies}-none.mcap`);
if (!existsSync(file)) {
  const t0 = Date.now();
  const source = join(cache, `parser-drive-${SOURCE_S}s-none.mcap`);
  const gen = fileURLToPath(new URL('./make-big-drive.ts', import.meta.url));
  const r = spawnSync(process.execPath, [...process.execArgv, gen, file, source, String(SOURCE_S), String(copies)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`make-big-drive failed (${r.status ?? r.signal})`);
  console.log(`generated ${file} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const bytes = statSync(file).size;
const startRss = process.memoryUsage.rss();
let peak = startRss;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 10);
const t0 = process.hrtime.bigint();
let rows = 0;
let csvBytes = 0;
const it = parseRecording(file);
let summary;
for (let r = await it.next(); ; r = await it.next()) {
  peak = Math.max(peak, process.memoryUsage.rss());
  if (r.done) { summary = r.value; break; }
  rows += r.value.rows;
  csvBytes += r.value.csv.length;
}
clearInterval(timer);
// The kernel's high-water mark catches peaks between two samples (maxRSS is in KiB).
peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
const peakMb = peak / 1e6;
console.log(`${(bytes / 1e9).toFixed(2)} GB, ${rows} rows, ${(csvBytes / 1e6).toFixed(0)} MB CSV, ${summary.problems.length} problems in ${s.toFixed(1)} s; RSS at start ${(startRss / 1e6).toFixed(0)} MB, peak ${peakMb.toFixed(0)} MB (limit ${limitMb} MB)`);
console.log(JSON.stringify({ file_gb: Number((bytes / 1e9).toFixed(3)), rows, seconds: Number(s.toFixed(2)), mb_s: Number((bytes / 1e6 / s).toFixed(1)), start_rss_mb: Math.round(startRss / 1e6), peak_rss_mb: Math.round(peakMb), limit_mb: limitMb, ok: peakMb < limitMb }));
process.exit(peakMb < limitMb ? 0 : 1);
