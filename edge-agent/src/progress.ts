import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

/** The batch being uploaded right now. */
export interface UploadProgress {
  batch_id: string;
  recording: string;
  chunks_total: number;
  chunks_sent: number;
  /** Compressed bytes acknowledged by the hub since this upload (re)started. */
  bytes_sent: number;
  /** ms since epoch. */
  started_at: number;
  via: 'mqtt' | 'http' | null;
}

/** What the daemon writes to `stateDir/progress.json` every second for `argus-agent status`. */
export interface ProgressFile {
  progress: UploadProgress | null;
  mqtt_connected: boolean;
  /** ms since epoch. */
  at: number;
}

export async function writeProgress(stateDir: string, p: ProgressFile): Promise<void> {
  await writeFileAtomic(path.join(stateDir, 'progress.json'), JSON.stringify(p));
}

export async function readProgress(stateDir: string): Promise<ProgressFile | null> {
  try {
    return JSON.parse(await readFile(path.join(stateDir, 'progress.json'), 'utf8')) as ProgressFile;
  } catch {
    return null;
  }
}
