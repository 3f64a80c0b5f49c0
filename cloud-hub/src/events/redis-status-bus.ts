import { Redis } from 'ioredis';
import { BatchStatusEvent, type Logger } from '@argus/shared';
import { Listeners, type StatusBus, type StatusListener } from './status-bus.js';

/** Redis channel carrying status events between hubs. */
export const STATUS_CHANNEL = 'argus:v1:batch-status';

/**
 * StatusBus over Redis pub/sub: every hub publishes its batches' status
 * changes on one channel and relays what it receives to its own SSE clients,
 * so a dashboard connected to any hub sees every batch. Messages are decoded
 * at this boundary; a malformed one is logged and dropped.
 */
export class RedisStatusBus implements StatusBus {
  private readonly listeners = new Listeners();

  private constructor(private readonly pub: Redis, private readonly sub: Redis, private readonly log: Logger) {}

  /** Connects two clients (a subscribed Redis connection can only listen) and subscribes. */
  static async connect(url: string, log: Logger): Promise<RedisStatusBus> {
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = new Redis(url, { lazyConnect: true });
    await Promise.all([pub.connect(), sub.connect()]);
    const bus = new RedisStatusBus(pub, sub, log);
    sub.on('message', (channel: string, msg: string) => {
      if (channel === STATUS_CHANNEL) bus.receive(msg);
    });
    await sub.subscribe(STATUS_CHANNEL);
    return bus;
  }

  private receive(msg: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(msg);
    } catch {
      parsed = undefined;
    }
    const r = BatchStatusEvent.safeParse(parsed);
    if (!r.success) {
      this.log.warn('malformed status event on redis', { channel: STATUS_CHANNEL });
      return;
    }
    this.listeners.emit(r.data);
  }

  async publish(e: BatchStatusEvent): Promise<void> {
    await this.pub.publish(STATUS_CHANNEL, JSON.stringify(e));
  }

  subscribe(fn: StatusListener): () => void {
    return this.listeners.add(fn);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
