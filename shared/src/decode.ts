import type { z } from 'zod';
import { ProtocolError } from './errors.js';
import { summarizeIssues } from './chunk-frame.js';

/**
 * Decodes untrusted input (a parsed JSON value) against a schema; throws
 * ProtocolError(code) listing every bad field. `what` names the input in the message.
 */
export function decode<S extends z.ZodType>(schema: S, value: unknown, what: string, code = 'BAD_PAYLOAD'): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ProtocolError(code, `${what}: ${summarizeIssues(r.error.issues)}`);
  return r.data;
}

/** Parses JSON bytes then decodes; a non-JSON payload is a ProtocolError too. */
export function decodeJson<S extends z.ZodType>(schema: S, bytes: Uint8Array | string, what: string, code = 'BAD_PAYLOAD'): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new ProtocolError(code, `${what}: not valid JSON`, { cause });
  }
  return decode(schema, value, what, code);
}
