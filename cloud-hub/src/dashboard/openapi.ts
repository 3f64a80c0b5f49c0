/** The OpenAPI 3.1 description of the hub's HTTP API, generated from the route table and the zod schemas. */
import { z } from 'zod';
import { ROUTES } from './route-table.js';

/** Where the description is served. */
export const OPENAPI_PATH = '/api/v1/openapi.json';

let cached: unknown;

/** The document (built once). */
export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const p = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const security = r.access === 'public' ? [] : r.access === 'vehicle' ? [{ vehicle: [] }] : [{ bearer: [] }, { session: [] }];
    (paths[p] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      'x-argus-access': r.access,
      security,
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
      responses: {
        '200': { description: 'OK', content: { [r.produces ?? 'application/json']: {} } },
        ...(r.access !== 'public' ? { '401': { $ref: '#/components/responses/Error' }, '403': { $ref: '#/components/responses/Error' } } : {}),
        '400': { $ref: '#/components/responses/Error' },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Argus hub API', version: '1', description: 'Vehicle ingest, diagnosis reads, fleet dashboard, OTA recommendations. Roles: viewer < ota < admin.' },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'User API token (argus_u_…), from POST /api/v1/auth/tokens' },
        session: { type: 'apiKey', in: 'cookie', name: 'argus_session', description: 'Browser session; state-changing requests also need x-csrf-token' },
        vehicle: { type: 'http', scheme: 'bearer', description: 'Vehicle token, with the x-argus-vin header' },
      },
      responses: {
        Error: { description: 'Error', content: { 'application/json': { schema: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } } } },
      },
    },
  };
  return cached;
}
