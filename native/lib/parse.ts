import { open } from 'node:fs/promises';

import { addon, type NativeStatus, type NativeStep } from './addon.js';
import { NativeParseError } from './native-parse-error.js';
import type { CsvChunk, ParseOptions, RecordingSummary } from './types.js';

/** Bytes read from disk per step: large enough to amortize the thread hop. */
const BLOCK_BYTES = 4 * 1024 * 1024;

function toError(status: NativeStatus, file: string): NativeParseError {
  return new NativeParseError(status.code, `${file}: ${status.message}`, status.offset, file);
}

function check(step: NativeStep, file: string): void {
  if (step.error) throw toError(step.error, file);
}

/**
 * Streams a recording file: reads it in 4 MiB blocks, feeds the native parser
 * off the event loop, yields CSV chunks as they complete and returns the
 * summary at the end. JS never holds the whole file.
 *
 * @example
 * const it = parseRecording('drive.mcap', { topics: ['/diagnostics'] });
 * for (let r = await it.next(); !r.done; r = await it.next()) upload(r.value);
 */
export async function* parseRecording(path: string, opts: ParseOptions = {}): AsyncGenerator<CsvChunk, RecordingSummary> {
  const parser = new addon.Parser(opts);
  const fh = await open(path, 'r');
  try {
    // Two blocks: the next read overlaps with the native parse of the current one.
    const blocks = [Buffer.allocUnsafe(BLOCK_BYTES), Buffer.allocUnsafe(BLOCK_BYTES)];
    let which = 0;
    let pending = fh.read(blocks[which]!, 0, BLOCK_BYTES, null);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      which ^= 1;
      pending = fh.read(blocks[which]!, 0, BLOCK_BYTES, null);
      const step = await parser.push(buffer.subarray(0, bytesRead));
      yield* step.chunks;
      check(step, path);
    }
    const last = await parser.finish();
    yield* last.chunks;
    check(last, path);
    return last.summary;
  } finally {
    await fh.close();
  }
}

/** Same as {@link parseRecording} over bytes already in memory. */
export async function parseBuffer(
  bytes: Uint8Array,
  opts: ParseOptions = {},
): Promise<{ chunks: CsvChunk[]; summary: RecordingSummary }> {
  const parser = new addon.Parser(opts);
  const name = '<buffer>';
  const step = await parser.push(bytes);
  check(step, name);
  const last = await parser.finish();
  check(last, name);
  return { chunks: [...step.chunks, ...last.chunks], summary: last.summary };
}
