/**
 * An error at a protocol boundary (payload, body, frame). `code` is stable and
 * machine-readable; `message` names the vehicle, batch, file or byte offset
 * involved. Never carries a secret.
 */
export class ProtocolError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
