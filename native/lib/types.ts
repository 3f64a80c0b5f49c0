/** Options for {@link parseRecording} and {@link parseBuffer}. */
export interface ParseOptions {
  /** Topics to decode: exact names or globs with `*` (e.g. `/sensors/*`). Default: all. */
  topics?: string[];
  /** Topics to skip (exact or glob); wins over `topics`. */
  excludeTopics?: string[];
  /** Keep every Nth message of a topic (key: topic name or glob). Example: `{ '/imu': 10 }`. */
  decimate?: Record<string, number>;
  /**
   * At most this many messages per second of log time on a topic (key: topic
   * name or glob): a message is kept when its log_time is at least 1/rate
   * after the last kept one. Applied after `decimate`. Example: `{ '/camera/*': 2 }`.
   */
  maxRateHz?: Record<string, number>;
  /** Numeric arrays up to this length expand to `name.0..name.N-1` columns (default 16). */
  arrayExpandLimit?: number;
  /** Size limit of one CSV chunk in bytes (default 1 MiB); each chunk repeats the header row. */
  chunkBytes?: number;
  /** Verify chunk, data-section, summary and attachment CRC-32s (default true). */
  checkCrc?: boolean;
  /**
   * Threads that decode messages and write rows (default 1: the libuv worker
   * the parse runs on). More threads write rows of a batch in parallel and
   * add them in file order, so the output is identical; CPU time is not
   * saved, wall time is. The edge agent keeps 1 (the vehicle's cores belong
   * to the autonomy stack); argus-parse uses every core.
   */
  threads?: number;
  /**
   * Compress each chunk with zstd on the parse thread (level 1 … 22, default
   * 1). The chunk's `csv` then holds one zstd frame and `rawBytes` the CSV
   * length. Cheaper than compressing in JS: the CSV text never reaches JS, so
   * its buffer is reused by the next chunk at once instead of when V8
   * collects it.
   */
  compress?: { encoding: 'zstd'; level?: number };
  /** Keep messages with log_time >= startTimeNs (ns since epoch; bigint or decimal string). */
  startTimeNs?: bigint | string;
  /** Keep messages with log_time < endTimeNs. */
  endTimeNs?: bigint | string;
}

/** A self-contained piece of one topic's CSV (RFC 4180, header row first). */
export interface CsvChunk {
  topic: string;
  /** 0-based per topic. */
  index: number;
  /** The CSV text, or its zstd frame when `encoding` is 'zstd' (parse option `compress`). */
  csv: Buffer;
  rows: number;
  /** Set when the chunk was compressed on the parse thread. */
  encoding?: 'zstd';
  /** Length of the CSV text, when `csv` holds it compressed. */
  rawBytes?: number;
}

/** Per-topic facts gathered while parsing. Times are nanoseconds as decimal strings (uint64). */
export interface TopicSummary {
  topic: string;
  messageEncoding: string;
  schemaName: string;
  schemaEncoding: string;
  /** All messages on the topic, before decimation and topic filtering. */
  messageCount: number;
  firstLogTimeNs: string;
  lastLogTimeNs: string;
  /** Largest gap between consecutive messages (file order), in ns. */
  largestGapNs: string;
  /** Field columns (after `log_time_ns,publish_time_ns,sequence`); empty if nothing decoded. */
  columns: string[];
  /** Rows written (after decimation). */
  rowCount?: number;
  /** Messages that failed to decode. */
  decodeErrors?: number;
  /** False when the topic was filtered out by `topics`/`excludeTopics`. */
  selected?: boolean;
}

/** Something that did not stop parsing: a truncated tail, a CRC mismatch, a message that did not decode. */
export interface ParseProblem {
  code: string;
  message: string;
  /** Byte offset in the file (of the record, or of the enclosing chunk). */
  offset: number;
  topic?: string;
}

/** JSON-able summary of one recording. */
export interface RecordingSummary {
  /** Key/values of the Metadata record named `vehicle`. */
  vehicle: Record<string, string>;
  metadata: { name: string; metadata: Record<string, string> }[];
  topics: TopicSummary[];
  problems: ParseProblem[];
  /** True when the file ends before its Footer (every complete record before the damage was read). */
  truncated: boolean;
  bytesRead: number;
}
