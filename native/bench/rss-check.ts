// Streams a file through parseRecording, discarding chunks, and prints peak RSS.
// Run: npx tsx native/bench/rss-check.ts <file.mcap>
import { parseRecording } from '../lib/index.js';

const file = process.argv[2]!;
let peak = 0;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
const t0 = Date.now();
let rows = 0;
const it = parseRecording(file);
for (let r = await it.next(); ; r = await it.next()) {
  peak = Math.max(peak, process.memoryUsage.rss());
  if (r.done) { console.log(`topics: ${r.value.topics.length}, problems: ${r.value.problems.length}`); break; }
  rows += r.value.rows;
}
clearInterval(timer);
console.log(`${rows} rows in ${Date.now() - t0} ms, peak RSS ${(peak / 1e6).toFixed(0)} MB`);
