/**
 * Indexed reading (MCAP spec "Summary Section", "Chunk Index"): when a file
 * has a summary with chunk indexes and the caller filters topics or time,
 * only the chunks that can hold wanted messages are read. The plan is a list
 * of byte ranges, fed to the native parser with seek() before each.
 * Any doubt (no summary, no chunk index, channels or schemas missing from
 * the summary, malformed records) returns null: the caller streams the file.
 */
import type { FileHandle } from 'node:fs/promises';

import type { ParseOptions } from './types.js';

/** A byte range of the file to feed, in feeding order. */
export interface ReadRange {
  offset: number;
  length: number;
}

const MAGIC_LEN = 8;
const FOOTER_LEN = 9 + 20; // opcode + length + summary_start, summary_offset_start, summary_crc
const MAX_SUMMARY = 256 * 1024 * 1024;

/** `*` matches any run of characters; everything else literally. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** True when `opts` filters anything an index can help with. */
export function wantsIndex(opts: ParseOptions): boolean {
  return Boolean(opts.topics?.length || opts.excludeTopics?.length || opts.startTimeNs !== undefined || opts.endTimeNs !== undefined);
}

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  if (bytesRead !== length) throw new Error('short read');
  return buf;
}

interface ChunkIdx { start: bigint; end: bigint; offset: number; length: number; channels: number[] }

/** Builds the read plan, or null when the file must be streamed whole. */
export async function planIndexedRead(fh: FileHandle, size: number, opts: ParseOptions): Promise<ReadRange[] | null> {
  try {
    if (size < MAGIC_LEN * 2 + FOOTER_LEN + 9) return null;
    const footerAt = size - MAGIC_LEN - FOOTER_LEN;
    const tail = await readAt(fh, footerAt, FOOTER_LEN);
    if (tail[0] !== 0x02 || tail.readBigUInt64LE(1) !== 20n) return null;
    const summaryStart = Number(tail.readBigUInt64LE(9));
    if (summaryStart <= MAGIC_LEN || summaryStart >= footerAt || footerAt - summaryStart > MAX_SUMMARY) return null;
    const summary = await readAt(fh, summaryStart, footerAt - summaryStart);
    const head = await readAt(fh, 0, MAGIC_LEN + 9);
    if (head[MAGIC_LEN] !== 0x01) return null;
    const headerEnd = MAGIC_LEN + 9 + Number(head.readBigUInt64LE(MAGIC_LEN + 1));
    if (headerEnd > summaryStart) return null;

    const channels = new Map<number, { topic: string; schemaId: number }>();
    const schemas = new Set<number>();
    const chunks: ChunkIdx[] = [];
    const metadata: ReadRange[] = [];
    for (let p = 0; p < summary.length; ) {
      if (p + 9 > summary.length) return null;
      const op = summary[p]!;
      const len = Number(summary.readBigUInt64LE(p + 1));
      const c = p + 9;
      if (c + len > summary.length) return null;
      const str = (at: number): [string, number] => {
        const n = summary.readUInt32LE(at);
        return [summary.toString('utf8', at + 4, at + 4 + n), at + 4 + n];
      };
      if (op === 0x03) schemas.add(summary.readUInt16LE(c));
      else if (op === 0x04) channels.set(summary.readUInt16LE(c), { schemaId: summary.readUInt16LE(c + 2), topic: str(c + 4)[0] });
      else if (op === 0x08) {
        const mapLen = summary.readUInt32LE(c + 32);
        const ids: number[] = [];
        for (let q = c + 36; q + 10 <= c + 36 + mapLen; q += 10) ids.push(summary.readUInt16LE(q));
        chunks.push({ start: summary.readBigUInt64LE(c), end: summary.readBigUInt64LE(c + 8), offset: Number(summary.readBigUInt64LE(c + 16)), length: Number(summary.readBigUInt64LE(c + 24)), channels: ids });
      } else if (op === 0x0d) {
        metadata.push({ offset: Number(summary.readBigUInt64LE(c)), length: Number(summary.readBigUInt64LE(c + 8)) });
      }
      p = c + len;
    }
    if (chunks.length === 0 || channels.size === 0) return null;

    const include = (opts.topics ?? []).map(globToRegExp);
    const exclude = (opts.excludeTopics ?? []).map(globToRegExp);
    const wanted = new Set<number>();
    for (const [id, ch] of channels) {
      const ok = (include.length === 0 || include.some((r) => r.test(ch.topic))) && !exclude.some((r) => r.test(ch.topic));
      if (!ok) continue;
      if (ch.schemaId !== 0 && !schemas.has(ch.schemaId)) return null; // schema only inside chunks
      wanted.add(id);
    }
    const start = opts.startTimeNs !== undefined ? BigInt(opts.startTimeNs) : 0n;
    const end = opts.endTimeNs !== undefined ? BigInt(opts.endTimeNs) : 1n << 64n;
    const picked = chunks.filter(
      (c) => c.end >= start && c.start < end && (c.channels.length === 0 || c.channels.some((id) => wanted.has(id))),
    );
    const inRange = (r: ReadRange) => r.offset >= headerEnd && r.offset + r.length <= summaryStart;
    if (!picked.every((c) => inRange(c)) || !metadata.every(inRange)) return null;
    picked.sort((a, b) => a.offset - b.offset);
    metadata.sort((a, b) => a.offset - b.offset);
    return [
      { offset: 0, length: headerEnd },
      { offset: summaryStart, length: footerAt - summaryStart }, // schemas and channels first
      ...metadata,
      ...picked.map((c) => ({ offset: c.offset, length: c.length })),
      { offset: footerAt, length: FOOTER_LEN + MAGIC_LEN },
    ];
  } catch {
    return null;
  }
}
