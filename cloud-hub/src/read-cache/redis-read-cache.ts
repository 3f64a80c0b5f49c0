import { Redis } from 'ioredis';
import type { ReadCache } from './read-cache.js';

/** ReadCache on Redis (`SET key value PX ttl`); keys are prefixed so one Redis can serve several things. */
export class RedisReadCache implements ReadCache {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'argus:read:') {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', ttlMs);
  }

  async del(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((k) => this.prefix + k));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
