// The conformance reader as the README of ../shared/mcap-conformance runs it:
//   npx tsx native/test/conformance/reader.ts [--indexed] <file.mcap>
// prints one JSON object on stdout (streamed: {"records": [...]}; indexed:
// {"schemas", "channels", "messages", "statistics"}).
import { readFileSync } from 'node:fs';

import { readIndexed, readStreamed } from '../../lib/conformance-reader.js';

const args = process.argv.slice(2);
const indexed = args.includes('--indexed');
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  process.stderr.write('usage: reader.ts [--indexed] <file.mcap>\n');
  process.exit(2);
}
const bytes = readFileSync(file);
process.stdout.write(`${JSON.stringify(indexed ? readIndexed(bytes) : readStreamed(bytes))}\n`);
