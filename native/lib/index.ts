/**
 * @argus/native: the native MCAP parser. Bytes in, per-topic CSV chunks and
 * a recording summary out. See parse.ts for the streaming entry points.
 */
export { parseRecording, parseBuffer, releaseChunk } from './parse.js';
export { fileBatch, type FileOp } from './file-batch.js';
export { NativeParseError } from './native-parse-error.js';
export { allCoreThreads, checkParseOptions } from './parse-options.js';
export { addon, type RawRecord, type NativeRecordReader } from './addon.js';
export type { ParseOptions, CsvChunk, TopicSummary, ParseProblem, RecordingSummary } from './types.js';

import { addon as native } from './addon.js';
import type { NativeRecordReader } from './addon.js';

/** Creates a synchronous raw MCAP record reader (conformance work, debugging). */
export function createRecordReader(options?: { checkCrc?: boolean; yieldChunks?: boolean }): NativeRecordReader {
  return new native.RecordReader(options);
}
