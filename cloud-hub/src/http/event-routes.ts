import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { API, BatchId, decode, type BatchStatusEvent } from '@argus/shared';
import type { StatusBus } from '../events/status-bus.js';
import type { HubMetrics } from '../observability/hub-metrics.js';

/** Route of the Prometheus exposition. */
export const METRICS_PATH = '/metrics';
/** Seconds between SSE keep-alive comments (keeps proxies from closing idle streams). */
const KEEPALIVE_MS = 15_000;

/**
 * Adds the observability routes to the hub's app:
 * - `GET /metrics` — Prometheus text exposition of this hub's registry;
 * - `GET /api/v1/events` — Server-Sent Events, every batch's status changes;
 * - `GET /api/v1/batches/:batchId/events` — the same for one batch.
 * Each SSE message is `event: status`, `id: <batch_id>:<state>`, `data: <BatchStatusEvent JSON>`.
 */
export function mountEventRoutes(app: Hono, d: { bus: StatusBus; metrics: HubMetrics }): void {
  app.get(METRICS_PATH, async (c) => c.body(await d.metrics.render(), 200, { 'content-type': d.metrics.contentType }));
  app.get(API.events, (c) => sse(c, d.bus, () => true));
  app.get(API.batchEvents, (c) => {
    const id = decode(BatchId, c.req.param('batchId'), 'batch id in the URL', 'BAD_PAYLOAD');
    return sse(c, d.bus, (e) => e.batch_id === id);
  });
}

function sse(c: Parameters<typeof streamSSE>[0], bus: StatusBus, keep: (e: BatchStatusEvent) => boolean): Response {
  return streamSSE(c, async (stream) => {
    // Events are queued and written one at a time: writeSSE is async and must not interleave.
    const pending: BatchStatusEvent[] = [];
    let wake: (() => void) | undefined;
    const off = bus.subscribe((e) => {
      if (!keep(e)) return;
      pending.push(e);
      wake?.();
    });
    let open = true;
    stream.onAbort(() => {
      open = false;
      wake?.();
    });
    try {
      await stream.write(': connected\n\n');
      while (open && !stream.aborted && !stream.closed) {
        const e = pending.shift();
        if (e) {
          await stream.writeSSE({ event: 'status', id: `${e.batch_id}:${e.state}`, data: JSON.stringify(e) });
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, KEEPALIVE_MS).unref();
        });
        wake = undefined;
        if (pending.length === 0 && open) await stream.write(': keep-alive\n\n');
      }
    } finally {
      off();
    }
  });
}
