/** User roles, least to most privileged. */
import { z } from 'zod';

/** `viewer`: fleet operations (read only); `ota`: OTA engineer (rules, approvals, KB edits); `admin`: everything, users. */
export const Role = z.enum(['viewer', 'ota', 'admin']);
export type Role = z.infer<typeof Role>;

const RANK: Record<Role, number> = { viewer: 0, ota: 1, admin: 2 };

/** True when a user with `role` may do what needs `need`. */
export function roleAllows(role: Role, need: Role): boolean {
  return RANK[role] >= RANK[need];
}

/** A signed-in user as request handlers see them. */
export interface AuthUser {
  user_id: string;
  username: string;
  role: Role;
  /** How the request authenticated. */
  via: 'session' | 'token';
  /** Session CSRF token (session requests only). */
  csrf?: string;
}

/** Hono environment of routes behind user auth. */
export type AuthEnv = { Variables: { user: AuthUser } };
