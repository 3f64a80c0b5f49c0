/** Serializers from in-memory samples to MCAP message bytes, per topic encoding. */
import { parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg2-serialization';
import { perceptionSummaryType } from './perception-proto.js';
import type { TopicSpec } from './reference-vehicle.js';

/** Turns one sample into message bytes. */
export type Encoder = (sample: unknown) => Uint8Array;

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * The encoder for a topic: CDR from the topic's own ros2msg schema, compact
 * UTF-8 JSON, or protobuf via the type decoded from the topic's descriptor.
 */
export function encoderFor(spec: TopicSpec): Encoder {
  switch (spec.messageEncoding) {
    case 'cdr': {
      const writer = new MessageWriter(parse(utf8Decoder.decode(spec.schemaData), { ros2: true }));
      return (sample) => writer.writeMessage(sample);
    }
    case 'json':
      return (sample) => utf8Encoder.encode(JSON.stringify(sample));
    case 'protobuf': {
      const type = perceptionSummaryType();
      return (sample) => type.encode(type.fromObject(sample as Record<string, unknown>)).finish();
    }
  }
}
