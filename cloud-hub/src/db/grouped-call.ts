/**
 * Group commit for reads and writes: calls made while a group is running wait
 * and run together as the next group, through one `run` of all their inputs
 * (one multi-row statement instead of one round trip each). Idle, a call runs
 * at once (no timer, so no added latency). `run` answers one output per input,
 * in order; if it throws, every caller of that group gets the error.
 *
 * @example const get = new GroupedCall((ids: string[]) => selectMany(ids)); await get.call(id);
 */
export class GroupedCall<I, O> {
  private queue: { input: I; resolve(o: O): void; reject(err: unknown): void }[] = [];
  private running = false;

  /** @param maxGroup most inputs per `run` (bounds statement size). */
  constructor(private readonly run: (inputs: I[]) => Promise<O[]>, private readonly maxGroup = 1000) {}

  /** Runs `input` in the next group and answers its own output. */
  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        try {
          const out = await this.run(group.map((g) => g.input));
          group.forEach((g, i) => g.resolve(out[i] as O));
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
