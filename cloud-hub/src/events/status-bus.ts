import type { BatchStatusEvent } from '@argus/shared';

/** A listener of batch status events. */
export type StatusListener = (e: BatchStatusEvent) => void;

/**
 * Carries batch status events from the pipeline to whoever watches (the
 * dashboard's SSE streams). Every subscriber of every hub sharing the bus sees
 * every event published on it. Implementations: InProcessStatusBus (embedded)
 * and RedisStatusBus (scale mode, Redis pub/sub).
 */
export interface StatusBus {
  publish(e: BatchStatusEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(fn: StatusListener): () => void;
  close(): Promise<void>;
}

/** Fan-out to local listeners; a listener that throws does not stop the others. */
export class Listeners {
  private readonly set = new Set<StatusListener>();

  add(fn: StatusListener): () => void {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }

  emit(e: BatchStatusEvent): void {
    for (const fn of this.set) {
      try {
        fn(e);
      } catch {
        // A broken watcher must not break the pipeline's notifications.
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}

/** StatusBus within one process. */
export class InProcessStatusBus implements StatusBus {
  private readonly listeners = new Listeners();

  async publish(e: BatchStatusEvent): Promise<void> {
    this.listeners.emit(e);
  }

  subscribe(fn: StatusListener): () => void {
    return this.listeners.add(fn);
  }

  async close(): Promise<void> {}
}
