import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Barrier, BarrierAnswer, ChunkEvent, ExpectedFiles } from './barrier.js';

/**
 * What a barrier implementation needs for the suite. The hub stores a chunk
 * (object + ledger) and the manifest before asking the barrier, so the fixture
 * says what "stored" means for this implementation: PgBarrier reads the batch
 * store's ledger, RedisBarrier keeps its own memory (no-ops).
 */
export interface BarrierFixture {
  /** A new barrier on the shared backend (a second "hub"). */
  open(): Barrier;
  stored(e: ChunkEvent): Promise<void>;
  manifestStored(batchId: string, files: ExpectedFiles): Promise<void>;
  close(): Promise<void>;
}

/** Chunk events of a manifest, in order. */
export function eventsOf(batchId: string, files: ExpectedFiles, salt = ''): ChunkEvent[] {
  return files.flatMap((f) => Array.from({ length: f.chunkCount }, (_, i) => ({
    batchId, fileId: f.fileId, chunkIndex: i,
    sha256: createHash('sha256').update(`${batchId}/${f.fileId}/${i}${salt}`).digest('hex'),
  })));
}

/** Fisher–Yates with a seeded LCG, so a failing order can be replayed. */
export function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

/** The shared barrier contract suite; run once per implementation. */
export function barrierSuite(name: string, setup: () => Promise<BarrierFixture>): void {
  describe(`Barrier contract: ${name}`, () => {
    let fx: BarrierFixture;
    let hubs: Barrier[];
    beforeAll(async () => {
      fx = await setup();
      hubs = [fx.open(), fx.open(), fx.open()];
    });
    afterAll(async () => {
      for (const h of hubs ?? []) await h.close();
      await fx?.close();
    });

    const record = async (h: Barrier, e: ChunkEvent): Promise<BarrierAnswer> => {
      await fx.stored(e);
      return h.record(e);
    };
    const announce = async (h: Barrier, batchId: string, files: ExpectedFiles): Promise<BarrierAnswer> => {
      await fx.manifestStored(batchId, files);
      return h.expect(batchId, files);
    };

    it('fires exactly once under triplicate, shuffled, concurrent delivery from several hubs (manifest first)', async () => {
      const b = randomUUID();
      const files = [{ fileId: 'a', chunkCount: 9 }, { fileId: 'b', chunkCount: 6 }];
      expect(await announce(hubs[0] as Barrier, b, files)).toBe('waiting');
      const evs = eventsOf(b, files);
      const deliveries = shuffle([...evs, ...evs, ...evs], 7);
      const answers = await Promise.all(deliveries.map((e, i) => record(hubs[i % hubs.length] as Barrier, e)));
      expect(answers.filter((a) => a === 'fired')).toHaveLength(1);
      expect(answers.every((a) => a === 'fired' || a === 'done' || a === 'waiting')).toBe(true);
      expect(await announce(hubs[1] as Barrier, b, files)).toBe('done');
      expect(await record(hubs[2] as Barrier, evs[0] as ChunkEvent)).toBe('done');
    });

    it('fires on the manifest when it arrives after every chunk', async () => {
      const b = randomUUID();
      const files = [{ fileId: 'a', chunkCount: 4 }];
      for (const e of shuffle(eventsOf(b, files), 3)) expect(await record(hubs[0] as Barrier, e)).toBe('waiting');
      const answers = await Promise.all(hubs.map((h) => announce(h, b, files)));
      expect(answers.filter((a) => a === 'fired')).toHaveLength(1);
      expect(await announce(hubs[0] as Barrier, b, files)).toBe('done');
    });

    it('waits while one chunk is missing and fires on the last one', async () => {
      const b = randomUUID();
      const files = [{ fileId: 'a', chunkCount: 3 }, { fileId: 'b', chunkCount: 1 }];
      const [e0, e1, e2, e3] = eventsOf(b, files) as [ChunkEvent, ChunkEvent, ChunkEvent, ChunkEvent];
      expect(await record(hubs[0] as Barrier, e0)).toBe('waiting');
      expect(await announce(hubs[1] as Barrier, b, files)).toBe('waiting');
      expect(await record(hubs[0] as Barrier, e3)).toBe('waiting');
      expect(await record(hubs[2] as Barrier, e2)).toBe('waiting');
      expect(await record(hubs[1] as Barrier, e2)).toBe('waiting');
      expect(await record(hubs[1] as Barrier, e1)).toBe('fired');
      expect(await record(hubs[0] as Barrier, e1)).toBe('done');
    });

    it('does not count chunks the manifest does not list (before or after it arrives)', async () => {
      const b = randomUUID();
      const files = [{ fileId: 'a', chunkCount: 2 }];
      const stray = [...eventsOf(b, [{ fileId: 'zz', chunkCount: 2 }]), ...eventsOf(b, [{ fileId: 'a', chunkCount: 5 }]).slice(2)];
      const [a0, a1] = eventsOf(b, files) as [ChunkEvent, ChunkEvent];
      expect(await record(hubs[0] as Barrier, stray[0] as ChunkEvent)).toBe('waiting');
      expect(await record(hubs[0] as Barrier, a0)).toBe('waiting');
      expect(await announce(hubs[0] as Barrier, b, files)).toBe('waiting');
      for (const e of stray.slice(1)) expect(await record(hubs[1] as Barrier, e)).toBe('waiting');
      expect(await record(hubs[1] as Barrier, a1)).toBe('fired');
    });

    it('answers conflict for a known chunk id with another sha256, and it never completes a batch', async () => {
      const b = randomUUID();
      const files = [{ fileId: 'a', chunkCount: 2 }];
      const [a0, a1] = eventsOf(b, files) as [ChunkEvent, ChunkEvent];
      const forged = { ...a1, sha256: (eventsOf(b, files, 'forged')[1] as ChunkEvent).sha256 };
      expect(await announce(hubs[0] as Barrier, b, files)).toBe('waiting');
      expect(await record(hubs[0] as Barrier, a1)).toBe('waiting');
      expect(await record(hubs[1] as Barrier, forged)).toBe('conflict');
      expect(await record(hubs[1] as Barrier, a0)).toBe('fired');
    });

    it('keeps the first manifest', async () => {
      const b = randomUUID();
      const files = [{ fileId: 'a', chunkCount: 2 }];
      expect(await announce(hubs[0] as Barrier, b, files)).toBe('waiting');
      // A lying second manifest (fewer chunks) changes nothing.
      await hubs[1]?.expect(b, [{ fileId: 'a', chunkCount: 1 }]);
      const [a0, a1] = eventsOf(b, files) as [ChunkEvent, ChunkEvent];
      expect(await record(hubs[0] as Barrier, a0)).toBe('waiting');
      expect(await record(hubs[0] as Barrier, a1)).toBe('fired');
    });

    it('keeps batches apart', async () => {
      const [b1, b2] = [randomUUID(), randomUUID()];
      const files = [{ fileId: 'a', chunkCount: 1 }];
      await announce(hubs[0] as Barrier, b1, files);
      await announce(hubs[0] as Barrier, b2, files);
      expect(await record(hubs[0] as Barrier, eventsOf(b1, files)[0] as ChunkEvent)).toBe('fired');
      expect(await record(hubs[1] as Barrier, { ...(eventsOf(b1, files)[0] as ChunkEvent), batchId: b2, sha256: (eventsOf(b2, files)[0] as ChunkEvent).sha256 })).toBe('fired');
    });
  });
}
