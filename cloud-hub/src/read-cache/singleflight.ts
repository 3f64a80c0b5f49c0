/**
 * Collapses concurrent calls for the same key into one: while a call for `key`
 * is in flight, later callers get the same promise.
 */
export class Singleflight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  /** Runs `fn` unless a call for `key` is already running, whose result is shared. */
  do(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running;
    const p = fn().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Calls in flight. */
  get size(): number {
    return this.inflight.size;
  }
}
