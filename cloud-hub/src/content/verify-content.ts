import type { ChunkEnvelope } from '@argus/shared';
import { IngestError } from '../ingest/ingest-error.js';
import { ContentDecodeError, decodedLength } from './content-codec.js';

/** Decodes a chunk whole and checks it against the envelope's raw_length, as an IngestError. */
export async function verifyDecoded(who: string, e: ChunkEnvelope, bytes: Buffer): Promise<void> {
  let length: number;
  try {
    length = await decodedLength(e.content_encoding, bytes, e.raw_length);
  } catch (cause) {
    if (!(cause instanceof ContentDecodeError)) throw cause;
    throw cause.code === 'TOO_LARGE'
      ? new IngestError('RAW_LENGTH_MISMATCH', `${who}: inflates to more than the ${e.raw_length} bytes the envelope says`, { cause })
      : new IngestError('BAD_CONTENT', `${who}: ${cause.message}`, { cause });
  }
  if (length !== e.raw_length) throw new IngestError('RAW_LENGTH_MISMATCH', `${who}: inflates to ${length} bytes, envelope says ${e.raw_length}`);
}
