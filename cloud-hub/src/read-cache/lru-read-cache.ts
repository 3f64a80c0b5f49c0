import type { ReadCache } from './read-cache.js';

/** In-process LRU with per-entry expiry; `now` is injectable for tests. */
export class LruReadCache implements ReadCache {
  private readonly map = new Map<string, { value: string; expires: number }>();

  constructor(private readonly maxEntries = 5000, private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.map.delete(key);
    this.map.set(key, { value, expires: this.now() + ttlMs });
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  async del(keys: readonly string[]): Promise<void> {
    for (const k of keys) this.map.delete(k);
  }

  /** Entries held (expired ones included until touched). */
  get size(): number {
    return this.map.size;
  }

  async close(): Promise<void> {
    this.map.clear();
  }
}
