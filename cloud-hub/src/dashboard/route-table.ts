/**
 * Every HTTP route of the hub with who may call it. The OpenAPI description is
 * generated from this table, and the access-matrix test walks it; that test
 * also fails when the app registers a route missing here (or the reverse),
 * apart from the browser app's static routes it allow-lists.
 */
import type { z } from 'zod';
import { API, BatchManifest } from '@argus/shared';
import { AUTH_API } from '../auth/auth-routes.js';
import { METRICS_PATH } from '../http/event-routes.js';
import { KbFault } from '../kb/knowledge-base.js';
import { OTA_API } from '../ota/ota-routes.js';
import { OtaRuleInput } from '../ota/ota-rule.js';
import { DASHBOARD_API } from './dashboard-routes.js';
import { KbBundle, KbCase, KbDocument, KbLink } from '../kb/kb-documents.js';

/** The KB CRUD of cloud-hub/src/http/kb-routes.ts, under API.kb. */
const KB = (p: string) => `${API.kb}${p}`;

/** Who may call a route: anyone, a vehicle (VIN + vehicle token), or a user with at least this role. */
export type RouteAccess = 'public' | 'vehicle' | 'viewer' | 'ota' | 'admin';

/** One route. */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  access: RouteAccess;
  summary: string;
  tag: string;
  body?: z.ZodType;
  /** Response is a stream (SSE) or not JSON. */
  produces?: string;
}

/** The route table. */
export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: API.health, access: 'public', tag: 'hub', summary: 'Liveness' },
  { method: 'GET', path: '/api/v1/openapi.json', access: 'public', tag: 'hub', summary: 'This description' },
  { method: 'GET', path: METRICS_PATH, access: 'public', tag: 'hub', summary: 'Prometheus metrics of this hub (scrape from the private network)', produces: 'text/plain; version=0.0.4' },
  { method: 'PUT', path: API.manifest, access: 'vehicle', tag: 'vehicle', summary: 'Vehicle declares a batch (HTTP fallback)', body: BatchManifest },
  { method: 'PUT', path: API.chunk, access: 'vehicle', tag: 'vehicle', summary: 'Vehicle uploads one chunk (HTTP fallback; envelope in x-argus-envelope)', produces: 'application/octet-stream' },
  { method: 'PUT', path: API.quarantine, access: 'vehicle', tag: 'vehicle', summary: 'Vehicle reports a recording it quarantined (QuarantineNotice)' },
  { method: 'GET', path: API.batches, access: 'viewer', tag: 'batches', summary: 'Recent batches (?vin=)' },
  { method: 'GET', path: API.batch, access: 'viewer', tag: 'batches', summary: 'One batch and its state (cached)' },
  { method: 'GET', path: API.diagnosis, access: 'viewer', tag: 'batches', summary: 'The diagnosis report of a batch (cached)' },
  { method: 'GET', path: API.events, access: 'viewer', tag: 'batches', summary: 'Server-sent status events of every batch', produces: 'text/event-stream' },
  { method: 'GET', path: API.batchEvents, access: 'viewer', tag: 'batches', summary: 'Server-sent status events of one batch', produces: 'text/event-stream' },
  { method: 'GET', path: API.quarantines, access: 'viewer', tag: 'vehicle', summary: 'Recordings vehicles quarantined, newest first (?vin=, ?limit=)' },
  { method: 'POST', path: AUTH_API.login, access: 'public', tag: 'auth', summary: 'Sign in; sets the session and CSRF cookies' },
  { method: 'POST', path: AUTH_API.logout, access: 'viewer', tag: 'auth', summary: 'Sign out' },
  { method: 'GET', path: AUTH_API.me, access: 'viewer', tag: 'auth', summary: 'The caller and their role' },
  { method: 'POST', path: AUTH_API.tokens, access: 'viewer', tag: 'auth', summary: 'Issue an API token for the caller (shown once)' },
  { method: 'DELETE', path: AUTH_API.token, access: 'viewer', tag: 'auth', summary: 'Revoke one of the caller\'s tokens' },
  { method: 'GET', path: AUTH_API.users, access: 'admin', tag: 'auth', summary: 'List users' },
  { method: 'POST', path: AUTH_API.users, access: 'admin', tag: 'auth', summary: 'Create a user (viewer, ota, admin)' },
  { method: 'GET', path: AUTH_API.audit, access: 'admin', tag: 'auth', summary: 'Audit log, newest first (?limit, ?before)' },
  { method: 'GET', path: DASHBOARD_API.summary, access: 'viewer', tag: 'fleet', summary: 'Fleet counters' },
  { method: 'GET', path: DASHBOARD_API.vehicles, access: 'viewer', tag: 'fleet', summary: 'Vehicles with platform, firmware, last drive, health (?q, platform, health, limit, offset)' },
  { method: 'GET', path: DASHBOARD_API.drives, access: 'viewer', tag: 'fleet', summary: 'Drives, newest first (?q, state, status, code, limit, offset)' },
  { method: 'GET', path: DASHBOARD_API.drive, access: 'viewer', tag: 'fleet', summary: 'One drive: batch, report, events, series, files, recommendations' },
  { method: 'GET', path: DASHBOARD_API.faults, access: 'viewer', tag: 'analytics', summary: 'Faults by code, platform, firmware per time bucket (?bucket, days)' },
  { method: 'GET', path: DASHBOARD_API.cohorts, access: 'viewer', tag: 'analytics', summary: 'Vehicles sharing a cause' },
  { method: 'GET', path: KB(''), access: 'viewer', tag: 'kb', summary: 'Knowledge-base counts and embedder' },
  { method: 'GET', path: KB('/export'), access: 'viewer', tag: 'kb', summary: 'The whole KB as one bundle' },
  { method: 'POST', path: KB('/import'), access: 'ota', tag: 'kb', summary: 'Import a bundle (audited)', body: KbBundle },
  { method: 'GET', path: KB('/faults'), access: 'viewer', tag: 'kb', summary: 'Faults with their causes' },
  { method: 'GET', path: KB('/faults/:code'), access: 'viewer', tag: 'kb', summary: 'One fault' },
  { method: 'PUT', path: KB('/faults/:code'), access: 'ota', tag: 'kb', summary: 'Add or replace a fault (audited)', body: KbFault },
  { method: 'GET', path: KB('/documents'), access: 'viewer', tag: 'kb', summary: 'Documents' },
  { method: 'GET', path: KB('/documents/:id'), access: 'viewer', tag: 'kb', summary: 'One document' },
  { method: 'PUT', path: KB('/documents/:id'), access: 'ota', tag: 'kb', summary: 'Add or replace a document (audited)', body: KbDocument },
  { method: 'DELETE', path: KB('/documents/:id'), access: 'ota', tag: 'kb', summary: 'Delete a document (audited)' },
  { method: 'GET', path: KB('/cases'), access: 'viewer', tag: 'kb', summary: 'Solved cases' },
  { method: 'GET', path: KB('/cases/:id'), access: 'viewer', tag: 'kb', summary: 'One case' },
  { method: 'PUT', path: KB('/cases/:id'), access: 'ota', tag: 'kb', summary: 'Add or replace a case (audited)', body: KbCase },
  { method: 'DELETE', path: KB('/cases/:id'), access: 'ota', tag: 'kb', summary: 'Delete a case (audited)' },
  { method: 'GET', path: KB('/links'), access: 'viewer', tag: 'kb', summary: 'Fault links' },
  { method: 'PUT', path: KB('/links'), access: 'ota', tag: 'kb', summary: 'Add a link (audited)', body: KbLink },
  { method: 'DELETE', path: KB('/links'), access: 'ota', tag: 'kb', summary: 'Delete a link (audited)', body: KbLink },
  { method: 'POST', path: KB('/search'), access: 'viewer', tag: 'kb', summary: 'Hybrid retrieval over the KB (what the supervisor sees)' },
  { method: 'GET', path: OTA_API.rules, access: 'viewer', tag: 'ota', summary: 'Recommendation rules' },
  { method: 'PUT', path: OTA_API.rule, access: 'ota', tag: 'ota', summary: 'Create or replace a rule (audited)', body: OtaRuleInput },
  { method: 'DELETE', path: OTA_API.rule, access: 'ota', tag: 'ota', summary: 'Delete a rule (audited)' },
  { method: 'GET', path: OTA_API.recommendations, access: 'viewer', tag: 'ota', summary: 'Recommendations (?status, vin, batch_id, limit, offset)' },
  { method: 'GET', path: OTA_API.recommendation, access: 'viewer', tag: 'ota', summary: 'One recommendation with decision and delivery' },
  { method: 'POST', path: OTA_API.approve, access: 'ota', tag: 'ota', summary: 'Approve and push to the vehicle over MQTT (audited)' },
  { method: 'POST', path: OTA_API.reject, access: 'ota', tag: 'ota', summary: 'Reject (audited)' },
  { method: 'GET', path: OTA_API.impact, access: 'viewer', tag: 'ota', summary: 'Vehicles on an affected version (?cause_id | component+range, platforms, format=csv)' },
];
