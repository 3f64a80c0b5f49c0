import { createRequire } from 'node:module';

import type { FileOp } from './file-batch.js';
import type { CsvChunk, RecordingSummary } from './types.js';

/** Fatal status from the C++ core. */
export interface NativeStatus {
  code: string;
  message: string;
  offset: number;
}

/** Result of one push/finish on the native Parser. */
export interface NativeStep {
  chunks: CsvChunk[];
  summary?: RecordingSummary;
  error?: NativeStatus;
}

/** The native streaming parser: push bytes, then finish. Work runs on the libuv pool. */
export interface NativeParser {
  push(bytes: Uint8Array): Promise<NativeStep>;
  finish(): Promise<NativeStep & { summary: RecordingSummary }>;
  /** The next pushed bytes start at this file offset (indexed reads skip chunks). */
  seek(offset: number): void;
}

/** One raw MCAP record (spec snake_case field names, uint64 as bigint, bytes as Buffer). */
export interface RawRecord {
  type: string;
  opcode: number;
  offset: number;
  inChunk: boolean;
  fields: Record<string, unknown>;
}

/** Synchronous raw record iterator over the same core reader. */
export interface NativeRecordReader {
  append(bytes: Uint8Array): void;
  finish(): void;
  /** Next record, or null when more bytes are needed or the file is done (see done()). */
  next(): RawRecord | null;
  done(): boolean;
  problems(): { code: string; message: string; offset: number }[];
  /** The next appended bytes start at this absolute file offset (indexed reads). */
  seek(offset: number): void;
  /**
   * Reads every record available now without surfacing them (benchmarks);
   * returns how many. Given bytes, reads them in place as if appended first
   * (only a record they leave unfinished is copied).
   */
  scan(bytes?: Uint8Array): number;
}

interface Addon {
  Parser: new (options: unknown) => NativeParser;
  RecordReader: new (options?: { checkCrc?: boolean; yieldChunks?: boolean }) => NativeRecordReader;
  releaseChunk(csv: Buffer): boolean;
  fileBatch(ops: FileOp[]): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The loaded `argus_native.node` addon. */
export const addon = require('../build/Release/argus_native.node') as Addon;
