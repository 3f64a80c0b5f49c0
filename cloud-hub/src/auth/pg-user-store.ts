import type pg from 'pg';
import type { Role } from './roles.js';
import type { AuditEntry, UserRecord, UserStore } from './user-store.js';

const TS = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const USER = `u.user_id::text, u.username, u.role, u.disabled, ${TS('u.created_at')} AS created_at`;

const SQL = {
  create: `INSERT INTO users (username, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING
    RETURNING user_id::text, username, role, disabled, ${TS('created_at')} AS created_at`,
  byName: `SELECT ${USER}, u.password_hash FROM users u WHERE u.username = $1`,
  list: `SELECT ${USER} FROM users u ORDER BY u.username`,
  setPassword: `UPDATE users SET password_hash = $2 WHERE username = $1`,
  countAdmins: `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled`,
  createSession: `INSERT INTO user_sessions (session_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`,
  session: `SELECT ${USER}, s.csrf_token FROM user_sessions s JOIN users u ON u.user_id = s.user_id
    WHERE s.session_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
  deleteSession: `DELETE FROM user_sessions WHERE session_hash = $1`,
  createToken: `INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3) RETURNING token_id::text`,
  tokenUser: `UPDATE api_tokens t SET last_used_at = now() FROM users u
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.user_id = t.user_id AND NOT u.disabled RETURNING ${USER}`,
  revokeToken: `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND token_id = $2 AND revoked_at IS NULL`,
  audit: `INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4::jsonb)`,
  auditLog: `SELECT id::text, ${TS('at')} AS at, actor, action, target, detail FROM audit_log
    WHERE ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $1`,
} as const;

/** UserStore on Postgres (migrations/0009). */
export class PgUserStore implements UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(username: string, role: Role, passwordHash: string): Promise<UserRecord | null> {
    return (await this.pool.query<UserRecord>(SQL.create, [username, role, passwordHash])).rows[0] ?? null;
  }
  async byName(username: string): Promise<(UserRecord & { password_hash: string }) | null> {
    return (await this.pool.query<UserRecord & { password_hash: string }>(SQL.byName, [username])).rows[0] ?? null;
  }
  async list(): Promise<UserRecord[]> {
    return (await this.pool.query<UserRecord>(SQL.list)).rows;
  }
  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    return (await this.pool.query(SQL.setPassword, [username, passwordHash])).rowCount === 1;
  }
  async countAdmins(): Promise<number> {
    return (await this.pool.query<{ n: number }>(SQL.countAdmins)).rows[0]?.n ?? 0;
  }
  async createSession(sessionHash: string, userId: string, csrf: string, expiresAt: Date): Promise<void> {
    await this.pool.query(SQL.createSession, [sessionHash, userId, csrf, expiresAt]);
  }
  async session(sessionHash: string): Promise<{ user: UserRecord; csrf: string } | null> {
    const row = (await this.pool.query<UserRecord & { csrf_token: string }>(SQL.session, [sessionHash])).rows[0];
    if (!row) return null;
    const { csrf_token, ...user } = row;
    return { user, csrf: csrf_token };
  }
  async deleteSession(sessionHash: string): Promise<void> {
    await this.pool.query(SQL.deleteSession, [sessionHash]);
  }
  async createToken(userId: string, name: string, tokenHash: string): Promise<{ token_id: string }> {
    const r = await this.pool.query<{ token_id: string }>(SQL.createToken, [userId, name, tokenHash]);
    return { token_id: r.rows[0]!.token_id };
  }
  async tokenUser(tokenHash: string): Promise<UserRecord | null> {
    return (await this.pool.query<UserRecord>(SQL.tokenUser, [tokenHash])).rows[0] ?? null;
  }
  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    return (await this.pool.query(SQL.revokeToken, [userId, tokenId])).rowCount === 1;
  }
  async audit(actor: string, action: string, target: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.pool.query(SQL.audit, [actor, action, target, JSON.stringify(detail)]);
  }
  async auditLog(opts: { limit: number; before?: string }): Promise<AuditEntry[]> {
    return (await this.pool.query<AuditEntry>(SQL.auditLog, [opts.limit, opts.before ?? null])).rows;
  }
}
