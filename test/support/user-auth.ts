import { randomUUID } from 'node:crypto';
import type { Hub } from '@argus/cloud-hub';

/** A role of a dashboard/API user. */
export type TestRole = 'viewer' | 'ota' | 'admin';

/** Creates a user with `role` on the hub and returns a fresh API token for it. */
export async function userToken(hub: Hub, role: TestRole = 'viewer'): Promise<string> {
  const u = await hub.web.access.createUser(`${role}-${randomUUID().slice(0, 8)}`, role, randomUUID());
  if (!u) throw new Error('test user not created');
  return (await hub.web.access.issueToken(u.user_id, 'test')).token;
}

/** `Authorization` header of a new user with `role`, for user (read) routes. */
export async function userHeaders(hub: Hub, role: TestRole = 'viewer'): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await userToken(hub, role)}` };
}
