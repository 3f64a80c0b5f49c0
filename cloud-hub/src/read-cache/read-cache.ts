/**
 * A cache of serialised read results (reports, batch status). Implementations:
 * LruReadCache (in-process), RedisReadCache (REDIS_URL, shared by hub processes).
 */
export interface ReadCache {
  /** The cached value, or undefined on a miss. */
  get(key: string): Promise<string | undefined>;
  /** Stores a value for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Drops keys. */
  del(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TTL with ±`spread` random jitter, so entries written together do not all
 * expire in the same instant (and stampede the database together).
 * `rand` is a value in [0, 1).
 */
export function jitteredTtl(baseMs: number, rand: number, spread = 0.2): number {
  return Math.max(1, Math.round(baseMs * (1 - spread + 2 * spread * rand)));
}
