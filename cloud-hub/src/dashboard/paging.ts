/** Page bounds from query parameters: limit 1..max (default 50), offset ≥ 0. */
export function paging(q: Record<string, string>, max = 200): { limit: number; offset: number } {
  const limit = Math.min(max, Math.max(1, Math.trunc(Number(q['limit'] ?? 50)) || 50));
  const offset = Math.max(0, Math.trunc(Number(q['offset'] ?? 0)) || 0);
  return { limit, offset };
}

/** A query parameter, or null when absent or empty. */
export function opt(q: Record<string, string>, key: string, max = 128): string | null {
  const v = q[key];
  return v === undefined || v === '' ? null : v.slice(0, max);
}
