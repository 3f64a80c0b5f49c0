import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** What the agent saw of one recording file at one scan. */
export interface RecordingObservation {
  name: string;
  size: number;
  mtimeMs: number;
  /** `<name>.done` exists next to it (the recorder's end-of-drive marker). */
  marker: boolean;
}

/** Remembered per file between scans: since when size+mtime have been unchanged. */
export interface StableSince {
  size: number;
  mtimeMs: number;
  sinceMs: number;
}

/** The detection rule's settings (see docs/edge-agent.md "Drive detection"). */
export interface DetectRule {
  mode: 'stable' | 'marker' | 'either';
  stableSeconds: number;
}

/**
 * Pure detection rule. A recording is finished when
 * - 'marker': its `<name>.done` marker exists;
 * - 'stable': it is non-empty and its size and mtime have not changed across
 *   scans for `stableSeconds`, or its mtime is already that old (so a file
 *   that appeared while the agent was down is taken at the first scan);
 * - 'either': whichever comes first.
 * Returns the new memory for the file and whether it is ready.
 */
export function judgeRecording(o: RecordingObservation, prev: StableSince | undefined, nowMs: number, rule: DetectRule): { ready: boolean; memo: StableSince } {
  const same = prev && prev.size === o.size && prev.mtimeMs === o.mtimeMs;
  const memo: StableSince = same ? prev : { size: o.size, mtimeMs: o.mtimeMs, sinceMs: nowMs };
  const windowMs = rule.stableSeconds * 1000;
  const stable = o.size > 0 && (nowMs - memo.sinceMs >= windowMs || nowMs - o.mtimeMs >= windowMs);
  const ready = rule.mode === 'marker' ? o.marker : rule.mode === 'stable' ? stable : o.marker || stable;
  return { ready, memo };
}

/** Lists `*.mcap` files of the recordings directory with their markers (the thin fs shell). */
export async function scanRecordings(dir: string): Promise<RecordingObservation[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const set = new Set(names);
  const out: RecordingObservation[] = [];
  for (const name of names.filter((n) => n.endsWith('.mcap')).sort()) {
    try {
      const s = await stat(path.join(dir, name));
      if (!s.isFile()) continue;
      out.push({ name, size: s.size, mtimeMs: s.mtimeMs, marker: set.has(`${name}.done`) });
    } catch {
      // vanished between readdir and stat: the recorder moved it; ignore
    }
  }
  return out;
}
