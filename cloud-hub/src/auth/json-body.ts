import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiFailure } from './api-failure.js';

/** Largest JSON body the user API accepts, bytes. */
export const MAX_JSON_BODY = 256 * 1024;

/** Reads and decodes a JSON request body with `schema`; a BAD_REQUEST naming every bad field otherwise. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  if (text.length > MAX_JSON_BODY) throw new ApiFailure('BAD_REQUEST', `body exceeds ${MAX_JSON_BODY} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ApiFailure('BAD_REQUEST', 'body is not JSON', { cause: err });
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new ApiFailure('BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}
