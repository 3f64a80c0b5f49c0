/**
 * `npm run kb:baseline`: learns the healthy baseline shipped with the demo
 * knowledge base (cloud-hub/src/kb/demo-baseline.json) from simulated
 * healthy drives of every platform — sim MCAP → native parse → gather →
 * learnBaseline. Drives of two lengths, so level ranges can be told bounded
 * or not; seeds far from those of the tests and of eval:diagnosis, so the
 * evaluation judges drives the baseline never saw.
 * BASELINE_DRIVES (per platform and length, default 16) and BASELINE_OUT override.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoKnowledgeBase, learnBaseline, type HealthyDrive } from '@argus/cloud-hub';
import { PLATFORMS, randomVin, Rng, writeDrive } from '@argus/sim';
import { gatherRecording } from './diagnose-command.js';

/** First seed of the baseline drives. */
export const BASELINE_SEED = 700_000;
/** Drive lengths learned from (s). */
export const BASELINE_DURATIONS = [180, 600] as const;

const perCell = Number(process.env['BASELINE_DRIVES'] ?? 16);
const out = process.env['BASELINE_OUT'] ?? fileURLToPath(new URL('../../cloud-hub/src/kb/demo-baseline.json', import.meta.url));
const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-baseline-'));
const kb = demoKnowledgeBase();
const drives: HealthyDrive[] = [];
let seed = BASELINE_SEED;
try {
  for (const platform of PLATFORMS) {
    for (const durationS of BASELINE_DURATIONS) {
      for (let i = 0; i < perCell; i++) {
        const file = path.join(dir, `${platform}-${durationS}-${i}.mcap`);
        const s = seed++;
        await writeDrive({ out: file, seed: s, platform, vin: randomVin(Rng.derive(s, 'vin'), platform), durationS });
        const { features } = await gatherRecording(file, kb);
        await rm(file, { force: true });
        drives.push({ platform, features });
        process.stderr.write(`\r${drives.length}/${PLATFORMS.length * BASELINE_DURATIONS.length * perCell} drives`);
      }
    }
  }
  process.stderr.write('\n');
  const source = `npm run kb:baseline: ${perCell} simulated healthy drives per platform of ${BASELINE_DURATIONS.join(' s and ')} s, seeds ${BASELINE_SEED}–${seed - 1}`;
  await writeFile(out, `${JSON.stringify(learnBaseline(drives, source), (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v), 1)}\n`);
  process.stdout.write(`wrote ${out} (${drives.length} drives)\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
