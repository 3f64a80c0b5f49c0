import type { ChunkEnvelope } from '@argus/shared';
import { IngestError } from '../ingest/ingest-error.js';
import type { ContentDecodeError } from './content-codec.js';

/** Holds a zstd chunk's decode outcome (see ContentChecker) to its envelope's raw_length, as an IngestError. */
export function checkDecoded(who: string, e: ChunkEnvelope, decoded: number | ContentDecodeError): void {
  if (typeof decoded !== 'number') {
    throw decoded.code === 'TOO_LARGE'
      ? new IngestError('RAW_LENGTH_MISMATCH', `${who}: inflates to more than the ${e.raw_length} bytes the envelope says`, { cause: decoded })
      : new IngestError('BAD_CONTENT', `${who}: ${decoded.message}`, { cause: decoded });
  }
  if (decoded !== e.raw_length) throw new IngestError('RAW_LENGTH_MISMATCH', `${who}: inflates to ${decoded} bytes, envelope says ${e.raw_length}`);
}
