import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LlmLimiter, RateLimits, Slot } from './llm-limiter.js';
import { ACQUIRE_LUA, RELEASE_LUA, RENEW_LUA } from './redis-rate-limiter.lua.js';

/** Options of {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** A connection to share, or a `redis://` URL to open one of our own. */
  redis: Redis | string;
  limits: RateLimits;
  /** Key prefix, shared by the hubs that share the limits. Default `argus:llm:`. */
  prefix?: string;
  /** A held slot's lease, ms, renewed every third of it while the call runs; a dead hub's slot frees when it ends. Default 30 000. */
  leaseMs?: number;
  /** Longest wait between two tries while every concurrency slot is busy, ms. Default 100. */
  pollMs?: number;
}

type Keys = [string, string, string, string];
type WithLimiterCommands = Redis & {
  argusLlmAcquire(...args: [...Keys, ...(string | number)[]]): Promise<[number, number, number]>;
  argusLlmRelease(...args: [...Keys, ...(string | number)[]]): Promise<number>;
  argusLlmRenew(...args: [...Keys, ...(string | number)[]]): Promise<number>;
};

/**
 * The LLM limiter of scale mode: the same limits shared by every hub on one
 * Redis. Each decision is one Lua script (atomic, on Redis's clock): sliding
 * windows (sorted sets) of requests and tokens, and a semaphore whose slots
 * are leases — renewed while the call runs, so a crashed hub's slot frees
 * after `leaseMs`.
 */
export class RedisRateLimiter implements LlmLimiter {
  private readonly redis: WithLimiterCommands;
  private readonly owned: boolean;
  private readonly keys: Keys;
  private readonly window: number;
  private readonly lease: number;
  private readonly poll: number;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: RedisRateLimiterOptions) {
    this.owned = typeof opts.redis === 'string';
    const r = typeof opts.redis === 'string' ? new Redis(opts.redis, { maxRetriesPerRequest: 3 }) : opts.redis;
    if (!('argusLlmAcquire' in r)) {
      r.defineCommand('argusLlmAcquire', { numberOfKeys: 4, lua: ACQUIRE_LUA });
      r.defineCommand('argusLlmRelease', { numberOfKeys: 4, lua: RELEASE_LUA });
      r.defineCommand('argusLlmRenew', { numberOfKeys: 4, lua: RENEW_LUA });
    }
    this.redis = r as WithLimiterCommands;
    // One hash tag: all keys on one Redis Cluster slot.
    const p = `${opts.prefix ?? 'argus:llm:'}{limiter}:`;
    this.keys = [`${p}sem`, `${p}req`, `${p}tok`, `${p}tokn`];
    this.window = opts.limits.windowMs ?? 60_000;
    this.lease = opts.leaseMs ?? 30_000;
    this.poll = opts.pollMs ?? 100;
  }

  /** Waits (polling Redis) until a slot and the window limits allow the call. */
  async acquire(tokens: number): Promise<Slot> {
    const id = randomUUID();
    const { concurrency, rpm, tpm } = this.opts.limits;
    for (;;) {
      const [ok, wait, leaseLeft] = await this.redis.argusLlmAcquire(...this.keys, this.window, id, Math.ceil(tokens), concurrency, rpm, tpm, this.lease);
      if (ok === 1) break;
      const ms = wait > 0 ? wait : Math.max(1, Math.min(this.poll, leaseLeft));
      await new Promise((r) => setTimeout(r, ms));
    }
    const timer = setInterval(() => {
      this.redis.argusLlmRenew(...this.keys, this.window, id, this.lease).catch(() => undefined);
    }, Math.max(10, Math.floor(this.lease / 3)));
    timer.unref();
    this.timers.add(timer);
    let released = false;
    return {
      release: (used: number) => {
        if (released) return;
        released = true;
        clearInterval(timer);
        this.timers.delete(timer);
        // Fire and forget: a lost release only holds the slot until its lease ends.
        this.redis.argusLlmRelease(...this.keys, this.window, id, Math.ceil(used)).catch(() => undefined);
      },
    };
  }

  /** Stops lease renewals; closes the connection when it is ours. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    if (this.owned) await this.redis.quit().catch(() => undefined);
  }
}
