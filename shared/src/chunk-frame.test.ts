import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeChunkFrame, encodeChunkFrame, encodeChunkFrameHead } from './chunk-frame.js';
import type { ChunkEnvelope } from './chunk.js';
import { ProtocolError } from './errors.js';

const data = Buffer.from('log_time_ns,publish_time_ns,sequence,x\n1,1,0,2.5\n');
const env: ChunkEnvelope = {
  v: 1, batch_id: randomUUID(), file_id: 't001', topic: '/compute/stats', chunk_index: 2, chunk_count: 3,
  sha256: createHash('sha256').update(data).digest('hex'), content_encoding: 'identity', byte_length: data.length, raw_length: data.length, rows: 1,
};

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    return (e as ProtocolError).code;
  }
  throw new Error('did not throw');
}

describe('chunk frame', () => {
  it('round-trips envelope and bytes', () => {
    const f = decodeChunkFrame(encodeChunkFrame(env, data));
    expect(f.envelope).toEqual(env);
    expect(f.data.equals(data)).toBe(true);
  });

  it('pads an envelope to a reserved slot (the agent writes the head in place later) and refuses one that does not fit', () => {
    const slot = encodeChunkFrameHead({ ...env, batch_id: '00000000-0000-0000-0000-000000000000', chunk_count: Number.MAX_SAFE_INTEGER }).length - 8;
    const head = encodeChunkFrameHead(env, slot);
    expect(head.length).toBe(8 + slot);
    expect(head.subarray(8).toString('utf8')).toMatch(/^\{.*\} +$/);
    const f = decodeChunkFrame(Buffer.concat([head, data]));
    expect(f.envelope).toEqual(env);
    expect(f.data.equals(data)).toBe(true);
    expect(() => encodeChunkFrameHead({ ...env, topic: `${env.topic}/longer-than-the-slot` }, slot)).toThrow(RangeError);
  });

  it('refuses every truncation of a frame', () => {
    const full = encodeChunkFrame(env, data);
    for (let n = 0; n < full.length; n++) {
      expect(['BAD_FRAME', 'LENGTH_MISMATCH', 'BAD_ENVELOPE']).toContain(code(() => decodeChunkFrame(full.subarray(0, n))));
    }
  });

  it('names what is wrong', () => {
    expect(code(() => decodeChunkFrame(Buffer.from('nope')))).toBe('BAD_FRAME');
    const bad = encodeChunkFrame({ ...env, chunk_index: 5 }, data);
    expect(code(() => decodeChunkFrame(bad))).toBe('BAD_ENVELOPE');
    const longer = Buffer.concat([encodeChunkFrame(env, data), Buffer.from('x')]);
    expect(code(() => decodeChunkFrame(longer))).toBe('LENGTH_MISMATCH');
    const huge = encodeChunkFrame(env, data);
    huge.writeUInt32BE(0xffffffff, 4);
    expect(code(() => decodeChunkFrame(huge))).toBe('BAD_FRAME');
  });

  it('refuses an envelope with a bad sha256 or batch id, or a chunk count beyond the ledger\'s 32-bit integers', () => {
    expect(code(() => decodeChunkFrame(encodeChunkFrame({ ...env, sha256: 'xyz' }, data)))).toBe('BAD_ENVELOPE');
    expect(code(() => decodeChunkFrame(encodeChunkFrame({ ...env, batch_id: '../../etc' }, data)))).toBe('BAD_ENVELOPE');
    expect(code(() => decodeChunkFrame(encodeChunkFrame({ ...env, chunk_index: 2 ** 31 - 1, chunk_count: 2 ** 31 }, data)))).toBe('BAD_ENVELOPE');
    expect(decodeChunkFrame(encodeChunkFrame({ ...env, chunk_index: 2 ** 31 - 2, chunk_count: 2 ** 31 - 1 }, data)).envelope.chunk_count).toBe(2 ** 31 - 1);
  });
});
