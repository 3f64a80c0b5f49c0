import { outboxBytes } from '../../edge-agent/src/outbox-quota.js';

/** Samples the agent's outbox size every `everyMs` until stopped; `peak` is the largest seen, bytes. */
export function watchOutbox(stateDir: string, everyMs = 50): { peak: () => number; stop: () => Promise<number> } {
  let peak = 0;
  let on = true;
  const loop = (async () => {
    while (on) {
      peak = Math.max(peak, await outboxBytes(stateDir));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    peak: () => peak,
    async stop() {
      on = false;
      await loop;
      return peak;
    },
  };
}
