import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { UnrecoverableError, type JobData, type JobQueue } from './job-queue.js';

/** Makes a fresh, isolated queue with these retry settings. */
export type JobQueueFactory = (opts: { attempts: number; backoffMs: number }) => Promise<JobQueue>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `cond()` holds; fails after `ms`. */
async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** The shared JobQueue contract suite; run once per implementation. */
export function jobQueueSuite(name: string, make: JobQueueFactory): void {
  describe(`JobQueue contract: ${name}`, () => {
    const open: JobQueue[] = [];
    const queue = async (opts = { attempts: 3, backoffMs: 50 }) => {
      const q = await make(opts);
      open.push(q);
      return q;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
    });

    it('runs every added job once, first attempt 1', async () => {
      const q = await queue();
      const seen: [string, number][] = [];
      q.process('gather', async (d, attempt) => void seen.push([d.batchId, attempt]));
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) await q.add('gather', { batchId: id });
      await until(() => seen.length === 3);
      await sleep(200);
      expect(seen.map((s) => s[0]).sort()).toEqual([...ids].sort());
      expect(seen.every((s) => s[1] === 1)).toBe(true);
    });

    it('treats adding a queued or running job again as a no-op; stages are separate', async () => {
      const q = await queue();
      const runs: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      q.process('gather', async (d) => {
        runs.push(`gather:${d.batchId}`);
        await gate;
      });
      q.process('diagnose', async (d) => void runs.push(`diagnose:${d.batchId}`));
      const b = randomUUID();
      await q.add('gather', { batchId: b });
      await until(() => runs.length === 1);
      await Promise.all([q.add('gather', { batchId: b }), q.add('gather', { batchId: b }), q.add('diagnose', { batchId: b })]);
      await until(() => runs.length === 2);
      release();
      await sleep(300);
      expect(runs.sort()).toEqual([`diagnose:${b}`, `gather:${b}`]);
    });

    it('retries a failing job with growing delays, then succeeds', async () => {
      const q = await queue({ attempts: 3, backoffMs: 100 });
      const at: [number, number][] = [];
      q.process('gather', async (_d, attempt) => {
        at.push([attempt, Date.now()]);
        if (attempt < 3) throw new Error(`transient ${attempt}`);
      });
      await q.add('gather', { batchId: randomUUID() });
      await until(() => at.length === 3);
      expect(at.map((a) => a[0])).toEqual([1, 2, 3]);
      const [t1, t2, t3] = at.map((a) => a[1]) as [number, number, number];
      expect(t2 - t1).toBeGreaterThanOrEqual(90);
      expect(t3 - t2).toBeGreaterThanOrEqual(190);
    });

    it('gives up after the last attempt and reports the failure once', async () => {
      const q = await queue({ attempts: 2, backoffMs: 20 });
      const failed: [JobData, string][] = [];
      let runs = 0;
      q.process('diagnose', async () => {
        runs++;
        throw new Error('still broken');
      }, { onFailed: async (d, err) => void failed.push([d, err.message]) });
      const b = randomUUID();
      await q.add('diagnose', { batchId: b });
      await until(() => failed.length === 1);
      await sleep(300);
      expect(runs).toBe(2);
      expect(failed).toEqual([[{ batchId: b }, 'still broken']]);
    });

    it('does not retry an UnrecoverableError', async () => {
      const q = await queue({ attempts: 5, backoffMs: 20 });
      const failed: string[] = [];
      let runs = 0;
      q.process('gather', async () => {
        runs++;
        throw new UnrecoverableError('no manifest');
      }, { onFailed: async (_d, err) => void failed.push(err.message) });
      await q.add('gather', { batchId: randomUUID() });
      await until(() => failed.length === 1);
      await sleep(300);
      expect(runs).toBe(1);
      expect(failed).toEqual(['no manifest']);
    });

    it('runs at most `concurrency` jobs of a stage at once', async () => {
      const q = await queue();
      let active = 0;
      let peak = 0;
      let done = 0;
      q.process('diagnose', async () => {
        active++;
        peak = Math.max(peak, active);
        await sleep(150);
        active--;
        done++;
      }, { concurrency: 2 });
      for (let i = 0; i < 6; i++) await q.add('diagnose', { batchId: randomUUID() });
      expect(await q.depth('diagnose')).toBeGreaterThan(0);
      await until(() => done === 6);
      expect(peak).toBe(2);
      expect(await q.depth('diagnose')).toBe(0);
    });

    it('close() waits for running jobs to finish', async () => {
      const q = await queue();
      let finished = false;
      let started = false;
      q.process('gather', async () => {
        started = true;
        await sleep(400);
        finished = true;
      });
      await q.add('gather', { batchId: randomUUID() });
      await until(() => started);
      await q.close();
      expect(finished).toBe(true);
    });
  });
}
