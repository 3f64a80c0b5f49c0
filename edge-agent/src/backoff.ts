/** Reconnect schedule settings, ms. */
export interface BackoffOptions {
  minMs: number;
  maxMs: number;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential growth
 * min·2^(attempt-1) capped at max, with "full jitter" — a uniform pick in
 * [cap/2, cap] so a fleet coming out of the same dead zone does not reconnect
 * in lockstep. `random` is a value in [0, 1) passed in (pure).
 *
 * @example backoffDelay(3, 0.5, { minMs: 1000, maxMs: 60000 }) // 3000
 */
export function backoffDelay(attempt: number, random: number, o: BackoffOptions): number {
  const exp = Math.min(o.maxMs, o.minMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(exp / 2 + (exp / 2) * random);
}
