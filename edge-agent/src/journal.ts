import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.js';

/**
 * Life of one recording on the vehicle:
 * detected → packed → uploading → uploaded → complete, or quarantined.
 * - detected: finished by the recorder, not yet (fully) packed; packing is redone from scratch.
 * - packed: the outbox holds the manifest and every frame; nothing sent yet (eviction may still trim it).
 * - uploading: the manifest may have been sent; frames leave the outbox as the hub acknowledges them.
 * - uploaded: every chunk acknowledged; waiting for the hub to report the batch uploaded.
 * - complete: the hub reported the batch uploaded (barrier fired); the outbox entry is gone.
 * - quarantined: can never be uploaded (corrupt, no topics, outbox full); `reason` says why.
 */
export const DRIVE_STATES = ['detected', 'packed', 'uploading', 'uploaded', 'complete', 'quarantined'] as const;
export type DriveState = (typeof DRIVE_STATES)[number];

const NEXT: Record<DriveState, readonly DriveState[]> = {
  detected: ['packed', 'quarantined'],
  packed: ['uploading', 'quarantined'],
  uploading: ['uploaded', 'quarantined'],
  uploaded: ['complete'],
  complete: [],
  quarantined: [],
};

/** One recording's journal entry. */
export const DriveEntry = z.object({
  name: z.string(),
  size: z.number(),
  state: z.enum(DRIVE_STATES),
  batch_id: z.string().optional(),
  /** Compressed bytes and chunks of the batch (set when packed). */
  bytes: z.number().optional(),
  chunks: z.number().optional(),
  reason: z.string().optional(),
  /** A quarantined recording's notice reached the hub. */
  reported: z.boolean().optional(),
  detected_at: z.string(),
  updated_at: z.string(),
});
export type DriveEntry = z.infer<typeof DriveEntry>;

const JournalFile = z.object({ v: z.literal(1), drives: z.array(DriveEntry) });

/** True when `from → to` is a legal move (pure). */
export function canAdvance(from: DriveState, to: DriveState): boolean {
  return NEXT[from].includes(to);
}

/**
 * The durable journal: one JSON file rewritten atomically (temp + fsync +
 * rename + dir fsync) on every state change, so after a power cut it holds
 * either the previous or the new state of every recording — never a mix.
 */
export class DriveJournal {
  private constructor(private readonly file: string, private readonly drives: Map<string, DriveEntry>, private readonly now: () => Date) {}

  /** Opens (or creates) `stateDir/journal.json`. */
  static async open(stateDir: string, now: () => Date = () => new Date()): Promise<DriveJournal> {
    const file = path.join(stateDir, 'journal.json');
    let drives: DriveEntry[] = [];
    try {
      drives = JournalFile.parse(JSON.parse(await readFile(file, 'utf8'))).drives;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw Object.assign(new Error(`journal ${file} is unreadable: ${(err as Error).message}`, { cause: err }), { code: 'BAD_JOURNAL' });
    }
    return new DriveJournal(file, new Map(drives.map((d) => [d.name, d])), now);
  }

  get(name: string): DriveEntry | undefined {
    return this.drives.get(name);
  }

  all(): DriveEntry[] {
    return [...this.drives.values()];
  }

  /** Records a newly finished recording (no-op when already known). */
  async detect(name: string, size: number): Promise<DriveEntry> {
    const have = this.drives.get(name);
    if (have) return have;
    const at = this.now().toISOString();
    const e: DriveEntry = { name, size, state: 'detected', detected_at: at, updated_at: at };
    this.drives.set(name, e);
    await this.flush();
    return e;
  }

  /** Moves a recording to `to`, merging `patch`; throws BAD_TRANSITION for an illegal move. */
  async advance(name: string, to: DriveState, patch: Partial<Pick<DriveEntry, 'batch_id' | 'bytes' | 'chunks' | 'reason'>> = {}): Promise<DriveEntry> {
    const e = this.drives.get(name);
    if (!e) throw Object.assign(new Error(`journal: unknown recording ${name}`), { code: 'UNKNOWN_DRIVE' });
    if (e.state === to) return e;
    if (!canAdvance(e.state, to)) throw Object.assign(new Error(`journal: ${name} cannot go from ${e.state} to ${to}`), { code: 'BAD_TRANSITION' });
    const n: DriveEntry = { ...e, ...patch, state: to, updated_at: this.now().toISOString() };
    this.drives.set(name, n);
    await this.flush();
    return n;
  }

  /** Updates fields without a state change (e.g. `reported`). */
  async mark(name: string, patch: Partial<Pick<DriveEntry, 'reported'>>): Promise<void> {
    const e = this.drives.get(name);
    if (!e) return;
    this.drives.set(name, { ...e, ...patch, updated_at: this.now().toISOString() });
    await this.flush();
  }

  private writing: Promise<void> = Promise.resolve();

  /** Serialised: two concurrent flushes must not rename an older snapshot over a newer one. */
  private flush(): Promise<void> {
    const next = this.writing.then(() => writeFileAtomic(this.file, JSON.stringify({ v: 1, drives: this.all() })));
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/** Reads the journal without opening it for writing (for `argus-agent status`). */
export async function readJournal(stateDir: string): Promise<DriveEntry[]> {
  try {
    return JournalFile.parse(JSON.parse(await readFile(path.join(stateDir, 'journal.json'), 'utf8'))).drives;
  } catch {
    return [];
  }
}
