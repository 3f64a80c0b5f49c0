import type { Role } from './roles.js';

/** A stored user (never with its password hash). */
export interface UserRecord {
  user_id: string;
  username: string;
  role: Role;
  disabled: boolean;
  created_at: string;
}

/** One audit-log entry: who did what to which thing, when. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

/**
 * Users, their sessions and API tokens (stored as sha256 hashes), and the
 * audit log. Implementation: PgUserStore.
 */
export interface UserStore {
  /** Creates a user; false when the username is taken. */
  create(username: string, role: Role, passwordHash: string): Promise<UserRecord | null>;
  /** The user and their password hash, by name. */
  byName(username: string): Promise<(UserRecord & { password_hash: string }) | null>;
  list(): Promise<UserRecord[]>;
  setPassword(username: string, passwordHash: string): Promise<boolean>;
  countAdmins(): Promise<number>;
  createSession(sessionHash: string, userId: string, csrf: string, expiresAt: Date): Promise<void>;
  /** The live (unexpired, user enabled) session's user and CSRF token. */
  session(sessionHash: string): Promise<{ user: UserRecord; csrf: string } | null>;
  deleteSession(sessionHash: string): Promise<void>;
  createToken(userId: string, name: string, tokenHash: string): Promise<{ token_id: string }>;
  /** The user owning an unrevoked token (user enabled); marks it used. */
  tokenUser(tokenHash: string): Promise<UserRecord | null>;
  revokeToken(userId: string, tokenId: string): Promise<boolean>;
  audit(actor: string, action: string, target: string, detail?: Record<string, unknown>): Promise<void>;
  auditLog(opts: { limit: number; before?: string }): Promise<AuditEntry[]>;
}
