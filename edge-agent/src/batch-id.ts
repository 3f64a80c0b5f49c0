import { createHash } from 'node:crypto';

/**
 * The batch id of a recording: a UUID (version 8, RFC 9562 "custom") made from
 * sha256(vin, drive id, file name). The same drive always maps to the same
 * batch, so a restarted agent can never upload it as a second batch.
 */
export function batchIdFor(vin: string, driveId: string, fileName: string): string {
  const h = createHash('sha256').update(`${vin}\n${driveId}\n${fileName}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
