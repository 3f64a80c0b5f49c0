import { ChunkEnvelope } from './chunk.js';
import { ProtocolError } from './errors.js';

/**
 * Binary frame of a chunk on MQTT (MQTT 3.1.1 has no user properties, so the
 * envelope travels inside the payload):
 *
 *   0..3   magic "ARGC"
 *   4..7   uint32 big-endian: length H of the JSON envelope
 *   8..8+H UTF-8 JSON ChunkEnvelope (JSON text: may end in spaces, as
 *          JSON allows whitespace after a value)
 *   rest   the chunk bytes (exactly envelope.byte_length of them)
 */
export const CHUNK_FRAME_MAGIC = 'ARGC';
const HEADER_LIMIT = 16 * 1024;

/** Builds a frame from an envelope and the chunk's bytes. */
export function encodeChunkFrame(envelope: ChunkEnvelope, data: Uint8Array): Buffer {
  return Buffer.concat([encodeChunkFrameHead(envelope), data]);
}

/**
 * The bytes of a frame before its data: magic, length and envelope. With
 * `headerBytes`, the envelope's JSON is padded with spaces to exactly that
 * length, so a head written later fits a slot reserved earlier (throws
 * RangeError if the JSON is longer).
 */
export function encodeChunkFrameHead(envelope: ChunkEnvelope, headerBytes?: number): Buffer {
  const text = JSON.stringify(envelope);
  const needed = Buffer.byteLength(text, 'utf8');
  const length = headerBytes ?? needed;
  if (needed > length) throw new RangeError(`chunk envelope needs ${needed} bytes, the slot has ${length}`);
  const head = Buffer.alloc(8 + length, 0x20);
  head.write(CHUNK_FRAME_MAGIC, 0, 'latin1');
  head.writeUInt32BE(length, 4);
  head.write(text, 8, 'utf8');
  return head;
}

/** A decoded frame: its validated envelope and a view of its data bytes. */
export interface ChunkFrame {
  envelope: ChunkEnvelope;
  data: Buffer;
}

/**
 * Decodes and validates a frame. Throws ProtocolError(`BAD_FRAME`) naming the
 * byte offset when the frame is malformed. Does not check sha256 (the hub does
 * that, it needs a hash function).
 */
export function decodeChunkFrame(payload: Buffer): ChunkFrame {
  if (payload.length < 8 || payload.toString('latin1', 0, 4) !== CHUNK_FRAME_MAGIC) {
    throw new ProtocolError('BAD_FRAME', 'chunk frame does not start with magic "ARGC" (offset 0)');
  }
  const h = payload.readUInt32BE(4);
  if (h > HEADER_LIMIT || 8 + h > payload.length) {
    throw new ProtocolError('BAD_FRAME', `chunk frame header length ${h} exceeds the payload (offset 4)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8', 8, 8 + h));
  } catch (cause) {
    throw new ProtocolError('BAD_FRAME', 'chunk frame envelope is not JSON (offset 8)', { cause });
  }
  const parsed = ChunkEnvelope.safeParse(raw);
  if (!parsed.success) {
    throw new ProtocolError('BAD_ENVELOPE', `chunk envelope invalid: ${summarizeIssues(parsed.error.issues)}`);
  }
  const data = payload.subarray(8 + h);
  if (data.length !== parsed.data.byte_length) {
    throw new ProtocolError(
      'LENGTH_MISMATCH',
      `chunk ${parsed.data.batch_id}/${parsed.data.file_id}/${parsed.data.chunk_index}: envelope says ${parsed.data.byte_length} bytes, frame carries ${data.length} (offset ${8 + h})`,
    );
  }
  return { envelope: parsed.data, data };
}

/** Renders zod issues as `path: message; …` for error messages. */
export function summarizeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
