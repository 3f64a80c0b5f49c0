/**
 * Test helpers: generate per-topic CSV chunks the way the edge agent writes
 * them (`log_time_ns,publish_time_ns,sequence,<fields>`, header in every chunk).
 */

/** A value in a generated row. */
export type FixtureCell = number | boolean | string | null;

/** A generated topic: `row(t, i)` gives the field values at drive time `t`, or null to skip the message. */
export interface TopicGenerator {
  topic: string;
  hz: number;
  fields: readonly string[];
  row: (t: number, i: number) => FixtureCell[] | null;
  /** Phase offset of the first message (s). */
  offsetS?: number;
}

/** Quotes a cell per RFC 4180 when needed. */
export function csvCell(v: FixtureCell): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV chunks of one topic over `durationS` seconds, `chunkRows` rows per chunk. */
export function topicChunks(gen: TopicGenerator, durationS: number, t0Ns: bigint, chunkRows = 5000): string[] {
  const header = ['log_time_ns', 'publish_time_ns', 'sequence', ...gen.fields].join(',');
  const chunks: string[] = [];
  let rows: string[] = [];
  const n = Math.floor((durationS - (gen.offsetS ?? 0)) * gen.hz);
  let seq = 0;
  for (let i = 0; i < n; i++) {
    const t = (gen.offsetS ?? 0) + i / gen.hz;
    const values = gen.row(t, i);
    if (!values) continue;
    const ns = t0Ns + BigInt(Math.round(t * 1e9));
    rows.push([ns, ns - 1000n, seq++, ...values.map(csvCell)].join(','));
    if (rows.length >= chunkRows) {
      chunks.push(`${header}\n${rows.join('\n')}\n`);
      rows = [];
    }
  }
  if (rows.length > 0 || chunks.length === 0) chunks.push(`${header}\n${rows.join('\n')}\n`);
  return chunks;
}

/** Header stamp cells (sec, nanosec, frame_id) for drive time `t`. */
export function stamp(t0Ns: bigint, t: number, frame: string): FixtureCell[] {
  const ns = t0Ns + BigInt(Math.round(t * 1e9));
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n), frame];
}
