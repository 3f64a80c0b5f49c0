/**
 * A recording that cannot be parsed at all (bad magic, nothing readable).
 * `code` is stable (e.g. `BAD_MAGIC`, `NO_RECORDS`); `offset` is the byte
 * offset in the file where the problem was found.
 */
export class NativeParseError extends Error {
  readonly code: string;
  readonly offset: number;
  readonly file?: string;

  constructor(code: string, message: string, offset: number, file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NativeParseError';
    this.code = code;
    this.offset = offset;
    if (file !== undefined) this.file = file;
  }
}
