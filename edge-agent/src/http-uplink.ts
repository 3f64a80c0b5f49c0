import http from 'node:http';
import https from 'node:https';
import { API, apiPath, BatchView, ChunkAck, decodeChunkFrame, type BatchManifest, type QuarantineNotice } from '@argus/shared';
import { describeTlsError } from './tls-error.js';

/** Settings of the HTTP link (same credentials as MQTT). */
export interface HttpUplinkOptions {
  baseUrl: string;
  vin: string;
  token: string;
  /** PEM CA bundle for https. */
  ca?: Buffer | undefined;
  /** Path of that bundle, named in the error when the hub's certificate is refused. */
  caFile?: string | undefined;
  timeoutMs: number;
}

/** An HTTP call that failed in transit (no answer) — transient, try again. */
export class HttpTransportError extends Error {
  readonly code = 'HTTP_UNREACHABLE';
}

/**
 * The fallback link: `PUT /api/v1/batches/:id/manifest` and
 * `PUT …/files/:fileId/chunks/:index` with the envelope in `x-argus-envelope`,
 * vehicle auth in `x-argus-vin` + `Authorization: Bearer`. The response body
 * of a chunk PUT is the same ChunkAck the MQTT path sends.
 */
export class HttpUplink {
  constructor(private readonly o: HttpUplinkOptions) {}

  private request(method: string, route: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
    const url = new URL(route, this.o.baseUrl);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, {
        method, timeout: this.o.timeoutMs, ...(this.o.ca ? { ca: this.o.ca } : {}),
        headers: { 'x-argus-vin': this.o.vin, authorization: `Bearer ${this.o.token}`, ...(body ? { 'content-length': String(body.length) } : {}), ...headers },
      }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
        res.on('error', (e) => reject(new HttpTransportError(`${method} ${url.pathname}: ${e.message}`, { cause: e })));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.o.timeoutMs} ms`)));
      req.on('error', (e) => reject(new HttpTransportError(`${method} ${url.pathname}: ${describeTlsError(e, this.o.caFile)?.message ?? e.message}`, { cause: e })));
      req.end(body);
    });
  }

  /** Sends the manifest; throws on a refusal (4xx) or transport failure. */
  async putManifest(m: BatchManifest, raw: Buffer): Promise<void> {
    const r = await this.request('PUT', apiPath(API.manifest, { batchId: m.batch_id }), raw, { 'content-type': 'application/json' });
    if (r.status >= 500) throw new HttpTransportError(`manifest ${m.batch_id}: hub answered ${r.status}`);
    if (r.status >= 300) throw Object.assign(new Error(`manifest ${m.batch_id} refused (${r.status}): ${r.body.toString().slice(0, 300)}`), { code: 'MANIFEST_REFUSED' });
  }

  /** Sends one chunk frame; returns the hub's ack (ok or refusal). Throws HttpTransportError when there was no answer. */
  async putChunk(frame: Buffer): Promise<ChunkAck> {
    const { envelope: e, data } = decodeChunkFrame(frame);
    const r = await this.request('PUT', apiPath(API.chunk, { batchId: e.batch_id, fileId: e.file_id, index: e.chunk_index }), Buffer.from(data), {
      'x-argus-envelope': JSON.stringify(e), 'content-type': 'application/octet-stream',
    });
    if (r.status === 200 || r.status === 201) return ChunkAck.parse(JSON.parse(r.body.toString()));
    if (r.status >= 500 || r.status === 0) throw new HttpTransportError(`chunk ${e.batch_id}/${e.file_id}/${e.chunk_index}: hub answered ${r.status}`);
    let err = { code: `HTTP_${r.status}`, message: r.body.toString().slice(0, 300) };
    try {
      err = JSON.parse(r.body.toString()) as typeof err;
    } catch { /* keep the raw text */ }
    return { v: 1, batch_id: e.batch_id, file_id: e.file_id, chunk_index: e.chunk_index, ok: false, duplicate: false, error: err };
  }

  /** Tells the hub a recording was quarantined (idempotent); throws until the hub has it. */
  async putQuarantine(n: QuarantineNotice): Promise<void> {
    const r = await this.request('PUT', apiPath(API.quarantine, { vin: n.vin }), Buffer.from(JSON.stringify(n)), { 'content-type': 'application/json' });
    if (r.status >= 300) throw new HttpTransportError(`quarantine notice for ${n.recording.name}: hub answered ${r.status} ${r.body.toString().slice(0, 200)}`);
  }

  /** The hub's view of a batch (needs a user token on hubs with read auth), or null when it does not know it (404). */
  async getBatch(batchId: string): Promise<BatchView | null> {
    const r = await this.request('GET', apiPath(API.batch, { batchId }));
    if (r.status === 404) return null;
    if (r.status !== 200) throw new HttpTransportError(`batch ${batchId}: hub answered ${r.status}`);
    return BatchView.parse(JSON.parse(r.body.toString()));
  }
}
