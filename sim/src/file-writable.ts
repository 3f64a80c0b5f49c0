/**
 * A streaming {@link IWritable} for McapWriter that appends to a file through
 * a small buffer, so a multi-GB recording never sits in memory. Optionally
 * cuts the file at a byte offset to imitate a power cut mid-drive.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { IWritable } from '@mcap/core';

/** Buffered file sink with an optional hard length limit. */
export class FileWritable implements IWritable {
  readonly #handle: FileHandle;
  readonly #limit: number;
  readonly #flushAt: number;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #position = 0;
  #written = 0;

  private constructor(handle: FileHandle, limit: number, flushAt: number) {
    this.#handle = handle;
    this.#limit = limit;
    this.#flushAt = flushAt;
  }

  /**
   * Creates (truncates) `path`.
   *
   * @param truncateAt - bytes after which everything written is discarded (power cut)
   * @param flushAt - buffer size that triggers a write to disk, bytes
   */
  static async create(path: string, truncateAt = Infinity, flushAt = 4 * 1024 * 1024): Promise<FileWritable> {
    return new FileWritable(await open(path, 'w'), truncateAt, flushAt);
  }

  /** Logical bytes written so far (including any beyond the cut). */
  position(): bigint {
    return BigInt(this.#position);
  }

  /** Bytes that reach the file (never more than the cut). */
  get bytesKept(): number {
    return this.#written + this.#buffered;
  }

  /** True once the logical position has passed the cut. */
  get cut(): boolean {
    return this.#position >= this.#limit;
  }

  async write(buffer: Uint8Array): Promise<void> {
    const room = this.#limit - (this.#written + this.#buffered);
    this.#position += buffer.byteLength;
    if (room <= 0) return;
    // McapWriter may reuse its buffer after the call returns: copy what we keep.
    const kept = new Uint8Array(Math.min(buffer.byteLength, room));
    kept.set(kept.byteLength === buffer.byteLength ? buffer : buffer.subarray(0, kept.byteLength));
    this.#chunks.push(kept);
    this.#buffered += kept.byteLength;
    if (this.#buffered >= this.#flushAt) await this.flush();
  }

  /** Writes buffered bytes to the file. */
  async flush(): Promise<void> {
    if (this.#buffered === 0) return;
    const data = Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = [];
    this.#buffered = 0;
    await this.#handle.write(data, 0, data.byteLength);
    this.#written += data.byteLength;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.#handle.close();
  }
}
