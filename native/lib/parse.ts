import { open, type FileHandle } from 'node:fs/promises';

import { addon, type NativeStatus, type NativeStep } from './addon.js';
import { planIndexedRead, wantsIndex, type ReadRange } from './indexed-plan.js';
import { NativeParseError } from './native-parse-error.js';
import type { CsvChunk, ParseOptions, RecordingSummary } from './types.js';
import { checkParseOptions } from './parse-options.js';

/**
 * Bytes read from disk per step: large enough to amortize the thread hop
 * (a push costs tens of microseconds), small enough that the two blocks are
 * cheap to bring in: on the bench:edge drive 4 MiB blocks cost 2.5 k more
 * page faults (~25 ms on the dev VM) and 8 MB more peak RSS, and bench:parser
 * decodes as fast with 1 MiB.
 */
const BLOCK_BYTES = 1024 * 1024;

function toError(status: NativeStatus, file: string): NativeParseError {
  return new NativeParseError(status.code, `${file}: ${status.message}`, status.offset, file);
}

function check(step: NativeStep, file: string): void {
  if (step.error) throw toError(step.error, file);
}

/**
 * Streams a recording file: reads it in 1 MiB blocks, feeds the native parser
 * off the event loop, yields CSV chunks as they complete and returns the
 * summary at the end. JS never holds the whole file. Iterate to the end or
 * call `return()` so the file is closed.
 *
 * @example
 * const it = parseRecording('drive.mcap', { topics: ['/diagnostics'] });
 * for (let r = await it.next(); !r.done; r = await it.next()) upload(r.value);
 */
export async function* parseRecording(path: string, opts: ParseOptions = {}): AsyncGenerator<CsvChunk, RecordingSummary> {
  checkParseOptions(opts);
  const parser = new addon.Parser(opts);
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const plan = wantsIndex(opts) ? await planIndexedRead(fh, size, opts) : null;
    const ranges: ReadRange[] = plan ?? [{ offset: 0, length: size }];
    for (const range of ranges) {
      if (plan) parser.seek(range.offset);
      for await (const block of readBlocks(fh, range)) {
        const step = await parser.push(block);
        yield* step.chunks;
        check(step, path);
      }
    }
    const last = await parser.finish();
    yield* last.chunks;
    check(last, path);
    return last.summary;
  } finally {
    await fh.close();
  }
}

/**
 * Reads a byte range in blocks. Two buffers alternate so the next read
 * overlaps with the native parse of the current block; a block is only
 * reused after the parser has copied it (its push was awaited).
 */
async function* readBlocks(fh: FileHandle, range: ReadRange): AsyncGenerator<Buffer> {
  const blocks = [Buffer.allocUnsafe(BLOCK_BYTES), Buffer.allocUnsafe(BLOCK_BYTES)];
  let which = 0;
  let pos = range.offset;
  const end = range.offset + range.length;
  const read = (at: number) => fh.read(blocks[which]!, 0, Math.min(BLOCK_BYTES, end - at), at);
  let pending = pos < end ? read(pos) : null;
  try {
    while (pending) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) return;
      pos += bytesRead;
      which ^= 1;
      pending = pos < end ? read(pos) : null;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // A consumer that stops early leaves one read in flight: never let it become an unhandled rejection.
    pending?.catch(() => undefined);
  }
}

/**
 * Says the caller is done with a chunk's bytes: they are freed now rather
 * than when V8 collects the chunk, so the next chunks reuse warm memory
 * instead of fresh pages (each a page fault). `chunk.csv` (and any view of
 * it) becomes empty. Returns false, doing nothing, if `chunk.csv` is not a
 * whole chunk buffer made by the parser (a copy or a slice of one).
 */
export function releaseChunk(chunk: CsvChunk): boolean {
  return addon.releaseChunk(chunk.csv);
}

/** Same as {@link parseRecording} over bytes already in memory. */
export async function parseBuffer(
  bytes: Uint8Array,
  opts: ParseOptions = {},
): Promise<{ chunks: CsvChunk[]; summary: RecordingSummary }> {
  checkParseOptions(opts);
  const parser = new addon.Parser(opts);
  const name = '<buffer>';
  const step = await parser.push(bytes);
  check(step, name);
  const last = await parser.finish();
  check(last, name);
  return { chunks: [...step.chunks, ...last.chunks], summary: last.summary };
}
