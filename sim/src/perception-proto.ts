/**
 * The protobuf schema of `/perception/summary`. MCAP's `protobuf` schema
 * encoding requires the schema data to be a serialized
 * google.protobuf.FileDescriptorSet (MCAP spec, appendix "Well-known schema
 * encodings"); we build the FileDescriptorProto by hand so the bytes are stable.
 */
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

/** Fully-qualified name of the perception summary message. */
export const PERCEPTION_SUMMARY_TYPE = 'argus.PerceptionSummary';

// google.protobuf.FieldDescriptorProto enums (descriptor.proto).
const LABEL_OPTIONAL = 1;
const TYPE_DOUBLE = 1;
const TYPE_UINT32 = 13;
const TYPE_MESSAGE = 11;

const field = (name: string, number: number, type: number, typeName?: string) => ({
  name,
  number,
  label: LABEL_OPTIONAL,
  type,
  ...(typeName ? { typeName } : {}),
  jsonName: name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
});

const FILE = {
  name: 'argus/perception_summary.proto',
  package: 'argus',
  syntax: 'proto3',
  messageType: [
    {
      name: 'PerceptionSummary',
      field: [
        field('num_objects', 1, TYPE_UINT32),
        field('latency_ms', 2, TYPE_DOUBLE),
        field('counts', 3, TYPE_MESSAGE, '.argus.PerceptionSummary.ClassCounts'),
        field('frame_seq', 4, TYPE_UINT32),
      ],
      nestedType: [
        {
          name: 'ClassCounts',
          field: [
            field('vehicles', 1, TYPE_UINT32),
            field('pedestrians', 2, TYPE_UINT32),
            field('cyclists', 3, TYPE_UINT32),
            field('other', 4, TYPE_UINT32),
          ],
        },
      ],
    },
  ],
};

/** The serialized FileDescriptorSet (schema record data). */
export const PERCEPTION_SUMMARY_DESCRIPTOR: Uint8Array = descriptor.FileDescriptorSet.encode(
  descriptor.FileDescriptorSet.fromObject({ file: [FILE] }),
).finish();

/** A perception summary as the simulator fills it. */
export interface PerceptionSummary {
  num_objects: number;
  latency_ms: number;
  counts: { vehicles: number; pedestrians: number; cyclists: number; other: number };
  frame_seq: number;
}

let cached: protobuf.Type | undefined;

/** The protobufjs type, decoded from the descriptor above (so writer and schema cannot disagree). */
export function perceptionSummaryType(): protobuf.Type {
  if (!cached) {
    const set = descriptor.FileDescriptorSet.decode(PERCEPTION_SUMMARY_DESCRIPTOR);
    const root = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }).fromDescriptor(set);
    cached = root.lookupType(PERCEPTION_SUMMARY_TYPE);
  }
  return cached;
}
