// Generates a large recording for the RSS benchmark quickly: one simulated
// drive (@argus/sim writeDrive, cached) replayed `copies` times back to back
// (log times shifted by the drive length) with @mcap/core's McapWriter,
// chunked, uncompressed, with a summary. Run as a child process so the
// generator's memory does not count against the parser's.
// Usage: tsx make-big-drive.ts <out.mcap> <source.mcap> <sourceDurationS> <copies>
import { closeSync, existsSync, openSync, readSync, renameSync } from 'node:fs';

import { McapStreamReader, McapWriter } from '@mcap/core';

import { FileWritable } from '../../sim/src/file-writable.js';
import { writeDrive } from '../../sim/src/index.js';

const [out, source, durationArg, copiesArg] = process.argv.slice(2);
if (!out || !source || !durationArg || !copiesArg) throw new Error('usage: make-big-drive.ts <out> <source> <durationS> <copies>');
const durationS = Number(durationArg);
const copies = Number(copiesArg);
if (!existsSync(source)) {
  await writeDrive({ out: `${source}.tmp`, seed: 42, durationS, compression: 'none' });
  renameSync(`${source}.tmp`, source);
}
const file = await FileWritable.create(`${out}.tmp`);
const writer = new McapWriter({ writable: file, chunkSize: 1 << 20, compressChunk: undefined });
await writer.start({ profile: '', library: 'argus make-big-drive' });
const schemaIds = new Map<number, number>();
const channelIds = new Map<number, number>();
const span = BigInt(Math.ceil(durationS + 1)) * 1_000_000_000n;
for (let copy = 0; copy < copies; copy++) {
  const reader = new McapStreamReader();
  const fd = openSync(source, 'r');
  const block = Buffer.allocUnsafe(4 << 20);
  for (;;) {
    const n = readSync(fd, block, 0, block.length, null);
    if (n === 0) break;
    reader.append(block.subarray(0, n));
    for (let rec; (rec = reader.nextRecord()); ) {
      if (copy === 0 && rec.type === 'Schema' && !schemaIds.has(rec.id)) {
        schemaIds.set(rec.id, await writer.registerSchema({ name: rec.name, encoding: rec.encoding, data: rec.data }));
      } else if (copy === 0 && rec.type === 'Channel' && !channelIds.has(rec.id)) {
        channelIds.set(rec.id, await writer.registerChannel({
          topic: rec.topic, messageEncoding: rec.messageEncoding, metadata: rec.metadata,
          schemaId: rec.schemaId === 0 ? 0 : schemaIds.get(rec.schemaId)!,
        }));
      } else if (rec.type === 'Message') {
        const shift = BigInt(copy) * span;
        await writer.addMessage({ channelId: channelIds.get(rec.channelId)!, sequence: rec.sequence, logTime: rec.logTime + shift, publishTime: rec.publishTime + shift, data: rec.data });
      } else if (copy === 0 && rec.type === 'Metadata') {
        await writer.addMetadata({ name: rec.name, metadata: rec.metadata });
      }
    }
  }
  closeSync(fd);
}
await writer.end();
await file.close();
renameSync(`${out}.tmp`, out);
