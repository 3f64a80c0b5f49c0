import { Hono, type Context, type MiddlewareHandler } from 'hono';
import {
  API, BatchId, BatchManifest, ChunkEnvelope, checkVehicleToken, decode, decodeJson, MAX_CHUNK_BYTES, ProtocolError, QuarantineNotice, type BatchView, type Logger,
} from '@argus/shared';
import type { Ingest } from '../ingest/ingest.js';
import { IngestError, INGEST_ERROR_STATUS } from '../ingest/ingest-error.js';
import type { BatchRecord, BatchStore } from '../store/batch-store.js';
import type { IngestMetrics } from '../observability/hub-metrics.js';
import { receiveChunk } from './chunk-upload.js';
import type { KnowledgeService } from '../retrieval/knowledge-service.js';
import { createKbRoutes } from './kb-routes.js';
import type { QuarantineLog } from '../quarantine/quarantine-log.js';

/** What the HTTP API needs. */
export interface HttpDeps {
  ingest: Ingest;
  batches: BatchStore;
  vehicleSecret: string;
  log: Logger;
  /** Counts accepted chunks and every refusal (by code) on the HTTP transport. */
  metrics?: IngestMetrics;
  /** Gzip bomb guard while a chunk streams in, bytes; default 64 MiB (ingest checks its own limit again). */
  maxRawChunkBytes?: number;
  /** Where chunk bodies are spooled while checked; default the OS temp dir. */
  spoolDir?: string;
  /** User auth (viewer and up) for the read routes; unset = open (unit tests). Vehicle routes keep vehicle auth. */
  readGuard?: MiddlewareHandler;
  /** Guard of the KB CRUD (viewer reads, OTA engineer writes, audited); unset = `readGuard`. */
  kbGuard?: MiddlewareHandler;
  /** Cached batch/report reads (singleflight, invalidated on state changes); unset = `batches`. */
  reads?: Pick<BatchStore, 'get' | 'getReport'>;
  /** Knowledge base CRUD under API.kb; unset = not served. */
  kb?: KnowledgeService;
  /** Where vehicles' quarantine notices are kept; unset = logged only. */
  quarantines?: QuarantineLog;
}

/** Header carrying the chunk envelope (JSON) on HTTP chunk uploads. */
export const ENVELOPE_HEADER = 'x-argus-envelope';
/** Header naming the vehicle on vehicle routes; the token goes in `Authorization: Bearer`. */
export const VIN_HEADER = 'x-argus-vin';

/** Builds the Hono app: vehicle upload routes and read routes, one error handler. */
export function createHttpApp(d: HttpDeps): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof IngestError) {
      d.metrics?.rejected('http', err.code);
      // 413: close the connection instead of reading (and discarding) the rest of the body.
      return c.json({ code: err.code, message: err.message }, INGEST_ERROR_STATUS[err.code], err.code === 'TOO_LARGE' ? { connection: 'close' } : {});
    }
    if (err instanceof ProtocolError) {
      d.metrics?.rejected('http', err.code);
      return c.json({ code: err.code, message: err.message }, 400);
    }
    d.log.error('http handler failed', { path: c.req.path, err: err.message });
    return c.json({ code: 'INTERNAL', message: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.get(API.health, (c) => c.json({ ok: true }));
  if (d.kb) app.route(API.kb, createKbRoutes(d.kb, d.log, d.kbGuard ?? d.readGuard));
  if (d.readGuard) app.on('GET', [API.batches, API.batch, API.diagnosis, API.events, API.batchEvents, API.quarantines], d.readGuard);
  const reads = d.reads ?? d.batches;

  app.get(API.batches, async (c) => {
    const vin = c.req.query('vin');
    const rows = await d.batches.list({ ...(vin ? { vin } : {}), limit: 200 });
    return c.json({ batches: rows.map(view) });
  });

  app.get(API.batch, async (c) => c.json(view(await mustBatch(reads, c.req.param('batchId')))));

  app.get(API.diagnosis, async (c) => {
    // Report first: a cached hit needs no batch lookup (one query for a cold burst, none warm).
    const id = decode(BatchId, c.req.param('batchId'), `batch id ${JSON.stringify(c.req.param('batchId'))}`, 'BAD_PAYLOAD');
    const report = await reads.getReport(id);
    if (report) return c.json(report);
    const b = await mustBatch(reads, id);
    return c.json({ code: 'DIAGNOSIS_NOT_READY', message: `batch ${b.batch_id} is ${b.state}; no diagnosis yet` }, 404);
  });

  app.put(API.manifest, async (c) => {
    const vin = vehicle(c, d.vehicleSecret);
    const body = await readBody(c, 1024 * 1024);
    const m = decodeJson(BatchManifest, body, `vehicle ${vin} manifest`, 'BAD_MANIFEST');
    if (m.batch_id !== c.req.param('batchId')) throw new IngestError('BAD_MANIFEST', `manifest batch_id ${m.batch_id} does not match the URL`);
    const r = await d.ingest.manifest(vin, m);
    return c.json({ ok: true, duplicate: r.duplicate }, r.duplicate ? 200 : 201);
  });

  app.put(API.chunk, async (c) => {
    const vin = vehicle(c, d.vehicleSecret);
    const raw = c.req.header(ENVELOPE_HEADER);
    if (!raw) throw new IngestError('BAD_ENVELOPE', `missing ${ENVELOPE_HEADER} header`);
    const e = decodeJson(ChunkEnvelope, raw, `vehicle ${vin} chunk envelope`, 'BAD_ENVELOPE');
    const p = c.req.param();
    if (e.batch_id !== p['batchId'] || e.file_id !== p['fileId'] || String(e.chunk_index) !== p['index']) {
      throw new IngestError('BAD_ENVELOPE', 'envelope batch_id/file_id/chunk_index do not match the URL');
    }
    // Streamed: refused at the first byte beyond the envelope's byte_length (≤ MAX_CHUNK_BYTES), never buffered beyond it.
    const len = Number(c.req.header('content-length') ?? NaN);
    if (Number.isFinite(len) && len > e.byte_length) throw new IngestError('TOO_LARGE', `vehicle ${vin} chunk: body of ${len} bytes, envelope says ${e.byte_length}`);
    const data = await receiveChunk(c.req.raw.body, e, { vin, maxRawBytes: d.maxRawChunkBytes ?? MAX_CHUNK_BYTES * 8, spoolDir: d.spoolDir });
    const ack = await d.ingest.chunk(vin, e, data);
    d.metrics?.chunkAccepted('http', data.length, ack.duplicate);
    return c.json(ack, ack.duplicate ? 200 : 201);
  });

  // A vehicle reports a recording it set aside (edge agent quarantine): kept for operations and logged.
  app.put(API.quarantine, async (c) => {
    const vin = vehicle(c, d.vehicleSecret);
    const n = decodeJson(QuarantineNotice, await readBody(c, 64 * 1024), `vehicle ${vin} quarantine notice`);
    if (n.vin !== vin || c.req.param('vin') !== vin) throw new IngestError('FORBIDDEN', `vehicle ${vin} sent a quarantine notice for ${n.vin}`);
    const r = d.quarantines ? await d.quarantines.record(n) : { duplicate: false };
    d.log.warn('vehicle quarantined a recording', { vin, recording: n.recording.name, bytes: n.recording.bytes, code: n.code, reason: n.reason, at: n.at, duplicate: r.duplicate });
    return c.json({ ok: true, duplicate: r.duplicate }, 202);
  });

  app.get(API.quarantines, async (c) => {
    const vin = c.req.query('vin');
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 200) || 200, 1), 1000);
    return c.json({ quarantines: d.quarantines ? await d.quarantines.list({ ...(vin ? { vin } : {}), limit }) : [] });
  });

  return app;
}

/** Authenticates a vehicle: `X-Argus-Vin` + `Authorization: Bearer <token>`. */
function vehicle(c: Context, secret: string): string {
  const vin = c.req.header(VIN_HEADER) ?? '';
  const token = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '');
  if (!vin || !token || !checkVehicleToken(secret, vin, token)) throw new IngestError('UNAUTHORIZED', 'vehicle credentials missing or wrong');
  return vin;
}

/** Reads a request body, refusing (413) anything beyond `limit` bytes before buffering it. */
async function readBody(c: Context, limit: number): Promise<Buffer> {
  const len = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(len) && len > limit) throw new IngestError('TOO_LARGE', `body of ${len} bytes exceeds ${limit}`);
  const reader = c.req.raw.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > limit) {
      await reader.cancel();
      throw new IngestError('TOO_LARGE', `body exceeds ${limit} bytes`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

async function mustBatch(batches: Pick<BatchStore, 'get'>, id: string): Promise<BatchRecord> {
  const batchId = decode(BatchId, id, `batch id ${JSON.stringify(id)}`, 'BAD_PAYLOAD');
  const b = await batches.get(batchId);
  if (!b) throw new IngestError('BATCH_NOT_FOUND', `batch ${batchId} not found`);
  return b;
}

function view(b: BatchRecord): BatchView {
  return {
    batch_id: b.batch_id, vin: b.vin, platform: b.platform, state: b.state, chunks_stored: b.chunks_stored,
    chunks_expected: b.chunks_expected, reason: b.reason, created_at: b.created_at, updated_at: b.updated_at,
  };
}
