/**
 * Who may call the user API: password login (sessions), API tokens, the
 * bootstrap admin. Secrets are random 32-byte values; only their sha256 is
 * stored (they carry full entropy, so a slow hash adds nothing).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@argus/shared';
import { LruReadCache } from '../read-cache/lru-read-cache.js';
import { Singleflight } from '../read-cache/singleflight.js';
import { hashPassword, verifyPassword } from './password.js';
import type { AuthUser, Role } from './roles.js';
import type { UserRecord, UserStore } from './user-store.js';

/** Prefix of user API tokens, so they cannot be confused with vehicle tokens. */
export const USER_TOKEN_PREFIX = 'argus_u_';
/**
 * How long a token lookup is remembered in this process (ms): known tokens
 * 30 s, unknown ones 5 s. Revoking clears this process's memory at once;
 * other hub processes notice within TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = { known: 30_000, unknown: 5_000 } as const;
/** Session lifetime. */
export const SESSION_TTL_MS = 12 * 3600_000;

/** sha256 hex of a secret. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time string equality. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A new session: the cookie value and the CSRF token the page must echo. */
export interface NewSession {
  sessionId: string;
  csrf: string;
  user: UserRecord;
}

/** Sign-in and credential checks over a UserStore. */
export class Access {
  private dummyHash: Promise<string> | undefined;
  private tokenCache = new LruReadCache(10_000);
  private readonly tokenFlight = new Singleflight<AuthUser | null>();

  constructor(readonly users: UserStore, private readonly log: Logger) {}

  /** Checks a password; on success opens a session. Takes the same time whether or not the user exists. */
  async login(username: string, password: string): Promise<NewSession | null> {
    const u = await this.users.byName(username);
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(password, u?.password_hash ?? (await this.dummyHash));
    if (!u || !ok || u.disabled) return null;
    const sessionId = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    await this.users.createSession(secretHash(sessionId), u.user_id, csrf, new Date(Date.now() + SESSION_TTL_MS));
    const { password_hash: _, ...user } = u;
    return { sessionId, csrf, user };
  }

  async logout(sessionId: string): Promise<void> {
    await this.users.deleteSession(secretHash(sessionId));
  }

  /** The user of a session cookie value, or null. */
  async fromSession(sessionId: string): Promise<AuthUser | null> {
    const s = await this.users.session(secretHash(sessionId));
    return s ? { user_id: s.user.user_id, username: s.user.username, role: s.user.role, via: 'session', csrf: s.csrf } : null;
  }

  /** The user of an API token, or null (also for anything not shaped like a user token). */
  async fromToken(token: string): Promise<AuthUser | null> {
    if (!token.startsWith(USER_TOKEN_PREFIX) || token.length > 128) return null;
    const hash = secretHash(token);
    const hit = await this.tokenCache.get(hash);
    if (hit !== undefined) return JSON.parse(hit) as AuthUser | null;
    return this.tokenFlight.do(hash, async () => {
      const u = await this.users.tokenUser(hash);
      const user: AuthUser | null = u ? { user_id: u.user_id, username: u.username, role: u.role, via: 'token' } : null;
      await this.tokenCache.set(hash, JSON.stringify(user), user ? TOKEN_CACHE_MS.known : TOKEN_CACHE_MS.unknown);
      return user;
    });
  }

  /** Revokes one of a user's tokens; forgets every cached token lookup of this process. */
  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const ok = await this.users.revokeToken(userId, tokenId);
    this.tokenCache = new LruReadCache(10_000);
    return ok;
  }

  /** Issues an API token for a user; the token is returned once and stored only as a hash. */
  async issueToken(userId: string, name: string): Promise<{ token: string; token_id: string }> {
    const token = USER_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const { token_id } = await this.users.createToken(userId, name, secretHash(token));
    return { token, token_id };
  }

  /** Creates a user with a hashed password; null when the name is taken. */
  async createUser(username: string, role: Role, password: string): Promise<UserRecord | null> {
    return this.users.create(username, role, await hashPassword(password));
  }

  /**
   * Makes sure user `admin` exists. With a configured password it is set on
   * every start (so rotating ARGUS_ADMIN_PASSWORD works); without one and no
   * admin yet, a random password is generated and returned so the caller can show it once.
   */
  async bootstrapAdmin(password: string | undefined): Promise<{ username: string; password: string; generated: boolean } | null> {
    const existing = await this.users.byName('admin');
    if (password) {
      if (existing) await this.users.setPassword('admin', await hashPassword(password));
      else await this.createUser('admin', 'admin', password);
      return { username: 'admin', password, generated: false };
    }
    if (existing || (await this.users.countAdmins()) > 0) return null;
    const generated = randomBytes(12).toString('base64url');
    await this.createUser('admin', 'admin', generated);
    this.log.warn('created the bootstrap admin with a generated password; set ARGUS_ADMIN_PASSWORD to choose it', { username: 'admin' });
    return { username: 'admin', password: generated, generated: true };
  }
}
