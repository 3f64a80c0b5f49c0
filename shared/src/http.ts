import { z } from 'zod';
import { BatchState } from './status.js';

/** HTTP API routes, defined once. All under /api/v1. */
export const API = {
  health: '/api/v1/health',
  manifest: '/api/v1/batches/:batchId/manifest',
  chunk: '/api/v1/batches/:batchId/files/:fileId/chunks/:index',
  batch: '/api/v1/batches/:batchId',
  batches: '/api/v1/batches',
  diagnosis: '/api/v1/batches/:batchId/diagnosis',
  /** Server-Sent Events: status changes of every batch. */
  events: '/api/v1/events',
  /** Server-Sent Events: status changes of one batch. */
  batchEvents: '/api/v1/batches/:batchId/events',
  /** Knowledge base (sub-app in cloud-hub/src/http/kb-routes.ts): faults, documents, cases, links, search. */
  kb: '/api/v1/kb',
  /** A vehicle reports a recording it quarantined (QuarantineNotice, vehicle auth). */
  quarantine: '/api/v1/vehicles/:vin/quarantine',
  /** Recordings vehicles quarantined, newest first (`?vin=`; viewer and up): `{ quarantines: QuarantineRecord[] }`. */
  quarantines: '/api/v1/quarantines',
} as const;

/** Fills `:params` of a route. */
export function apiPath(route: string, params: Record<string, string | number>): string {
  return route.replace(/:([A-Za-z]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`apiPath: missing ${k} for ${route}`);
    return encodeURIComponent(String(v));
  });
}

/** Body of every HTTP error. */
export const ApiError = z.object({ code: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/** GET /api/v1/batches/:batchId */
export const BatchView = z.object({
  batch_id: z.string(),
  vin: z.string(),
  platform: z.string().nullable(),
  state: BatchState,
  chunks_stored: z.number(),
  chunks_expected: z.number().nullable(),
  reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type BatchView = z.infer<typeof BatchView>;
