import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BatchStatusEvent } from '@argus/shared';
import type { StatusBus } from './status-bus.js';

/** One test suite for every StatusBus: `make()` returns two buses sharing one medium (two hubs). */
export function statusBusSuite(name: string, make: () => Promise<[StatusBus, StatusBus]>): void {
  const event = (state: BatchStatusEvent['state']): BatchStatusEvent => ({
    v: 1, batch_id: randomUUID(), vin: 'LJ8A1B2C3D4E5F6G7', state, chunks_stored: 1, chunks_expected: 2, at: new Date().toISOString(),
  });
  const until = async (f: () => boolean) => {
    for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 25));
  };

  describe(`StatusBus contract: ${name}`, () => {
    it('delivers every published event to every subscriber of both buses, in order', async () => {
      const [a, b] = await make();
      try {
        const seenA: string[] = [];
        const seenB: string[] = [];
        a.subscribe((e) => seenA.push(e.state));
        const off = b.subscribe((e) => seenB.push(e.state));
        await a.publish(event('uploaded'));
        await a.publish(event('gathering'));
        await b.publish(event('gathered'));
        await until(() => seenA.length >= 3 && seenB.length >= 3);
        expect(seenA).toEqual(['uploaded', 'gathering', 'gathered']);
        expect(seenB).toEqual(['uploaded', 'gathering', 'gathered']);
        off();
        await a.publish(event('diagnosed'));
        await until(() => seenA.length >= 4);
        await new Promise((r) => setTimeout(r, 100));
        expect(seenA.at(-1)).toBe('diagnosed');
        expect(seenB).toHaveLength(3);
      } finally {
        await a.close();
        if (b !== a) await b.close();
      }
    });

    it('a throwing subscriber does not stop the others', async () => {
      const [a, b] = await make();
      try {
        const seen: string[] = [];
        a.subscribe(() => {
          throw new Error('broken watcher');
        });
        a.subscribe((e) => seen.push(e.batch_id));
        const e = event('failed');
        await b.publish(e);
        await until(() => seen.length >= 1);
        expect(seen).toEqual([e.batch_id]);
      } finally {
        await a.close();
        if (b !== a) await b.close();
      }
    });
  });
}
