/**
 * Test support: reads an MCAP file back with independent decoders
 * (@mcap/core stream reader, @foxglove/rosmsg + rosmsg2-serialization for CDR,
 * protobufjs from the file's own FileDescriptorSet, JSON.parse).
 */
import { parse } from '@foxglove/rosmsg';
import { MessageReader } from '@foxglove/rosmsg2-serialization';
import { McapStreamReader, type McapTypes } from '@mcap/core';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import zstd from 'zstd-napi';

const require = createRequire(import.meta.url);
const lz4 = require('lz4') as { decode(b: Buffer): Buffer };

/** One decoded message. */
export interface DecodedMessage {
  /** Seconds since the first possible message (drive start taken from metadata). */
  t: number;
  logTime: bigint;
  publishTime: bigint;
  sequence: number;
   
  msg: any;
}

/** Everything a test may assert on. */
export interface DecodedDrive {
  header: McapTypes.Header | undefined;
  schemas: McapTypes.Schema[];
  channels: McapTypes.Channel[];
  metadata: McapTypes.Metadata[];
  statistics: McapTypes.Statistics | undefined;
  chunkCompressions: Set<string>;
  counts: Record<string, number>;
  recordCounts: Record<string, number>;
  /** Decoded messages per topic, in log-time order. */
  topics: Record<string, DecodedMessage[]>;
  /** The stream ended with a valid footer. */
  complete: boolean;
  startNs: bigint;
}

type Decoder = (data: Uint8Array) => unknown;

function decoderFor(channel: McapTypes.Channel, schema: McapTypes.Schema | undefined): Decoder {
  const text = new TextDecoder();
  switch (channel.messageEncoding) {
    case 'json':
      return (d) => JSON.parse(text.decode(d));
    case 'cdr': {
      if (!schema) throw new Error(`no schema for ${channel.topic}`);
      const reader = new MessageReader(parse(text.decode(schema.data), { ros2: true }));
      return (d) => reader.readMessage(d);
    }
    case 'protobuf': {
      if (!schema) throw new Error(`no schema for ${channel.topic}`);
      const set = descriptor.FileDescriptorSet.decode(schema.data);
      const root = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }).fromDescriptor(set);
      const type = root.lookupType(schema.name);
      return (d) => type.toObject(type.decode(d), { defaults: true });
    }
    default:
      throw new Error(`unexpected encoding ${channel.messageEncoding}`);
  }
}

/**
 * Reads and decodes a whole drive file.
 *
 * @param decode - decode message payloads (false: only count them)
 */
export async function readDrive(path: string, decode = true): Promise<DecodedDrive> {
  const bytes = await readFile(path);
  const reader = new McapStreamReader({
    includeChunks: true,
    decompressHandlers: {
      zstd: (buf) => zstd.decompress(buf),
      lz4: (buf) => lz4.decode(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)),
    },
  });
  reader.append(bytes);
  const out: DecodedDrive = {
    header: undefined, schemas: [], channels: [], metadata: [], statistics: undefined,
    chunkCompressions: new Set(), counts: {}, recordCounts: {}, topics: {}, complete: false, startNs: 0n,
  };
  const schemas = new Map<number, McapTypes.Schema>();
  const channels = new Map<number, { channel: McapTypes.Channel; decode: Decoder }>();
  for (let rec; (rec = reader.nextRecord()); ) {
    out.recordCounts[rec.type] = (out.recordCounts[rec.type] ?? 0) + 1;
    switch (rec.type) {
      case 'Header':
        out.header = rec;
        break;
      case 'Schema':
        if (!schemas.has(rec.id)) out.schemas.push(rec);
        schemas.set(rec.id, rec);
        break;
      case 'Channel':
        if (!channels.has(rec.id)) {
          out.channels.push(rec);
          channels.set(rec.id, { channel: rec, decode: decoderFor(rec, schemas.get(rec.schemaId)) });
        }
        break;
      case 'Metadata':
        out.metadata.push(rec);
        if (rec.name === 'vehicle') {
          const started = rec.metadata.get('started_at');
          if (started) out.startNs = BigInt(new Date(started).getTime()) * 1_000_000n;
        }
        break;
      case 'Statistics':
        out.statistics = rec;
        break;
      case 'Chunk':
        out.chunkCompressions.add(rec.compression);
        break;
      case 'Message': {
        const ch = channels.get(rec.channelId);
        if (!ch) throw new Error(`message on unknown channel ${rec.channelId}`);
        const topic = ch.channel.topic;
        out.counts[topic] = (out.counts[topic] ?? 0) + 1;
        if (decode) {
          (out.topics[topic] ??= []).push({
            t: Number(rec.logTime - out.startNs) / 1e9,
            logTime: rec.logTime,
            publishTime: rec.publishTime,
            sequence: rec.sequence,
            msg: ch.decode(rec.data),
          });
        }
        break;
      }
      default:
        break;
    }
  }
  out.complete = reader.done();
  return out;
}

/** Reads a dotted field path (`status.status`, `linear_acceleration.z`). */
export function field(msg: unknown, path: string): unknown {
  let v: unknown = msg;
  for (const k of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}
