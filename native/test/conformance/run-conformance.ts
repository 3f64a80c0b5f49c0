// Conformance runner (npm run test:conformance): every file of
// ../shared/mcap-conformance through the streamed reader, the 16 eligible ones
// through the indexed reader, each output printed as JSON and compared with
// the expected JSON after parsing both (README of that folder). Last line:
// `N passed, N failed`; exit code 1 on any failure or a missing folder.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { type ConformanceRecord, expectedIndexed, indexedEligible, readIndexed, readStreamed } from '../../lib/conformance-reader.js';
import { sharedPath } from '../../lib/shared-data.js';

const STREAMED_FILES = 416;
const INDEXED_FILES = 16;

function check(name: string, run: () => unknown, expected: unknown): string | null {
  try {
    const actual: unknown = JSON.parse(JSON.stringify(run()));
    return isDeepStrictEqual(actual, expected) ? null : `${name}: output differs from the expected JSON`;
  } catch (e) {
    return `${name}: ${(e as Error).message}`;
  }
}

let root: string;
try {
  root = sharedPath('mcap-conformance');
} catch (e) {
  console.error((e as Error).message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.endsWith('.mcap')).map((f) => join(root, d.name, f)))
  .sort();

let passed = 0;
let failed = 0;
const failures: string[] = [];
const record = (err: string | null): void => {
  if (err) { failed++; failures.push(err); } else passed++;
};
let indexedCount = 0;
for (const file of files) {
  const bytes = readFileSync(file);
  const expected = JSON.parse(readFileSync(file.replace(/\.mcap$/, '.json'), 'utf8')) as { records: ConformanceRecord[] };
  // The .json files also carry `meta` (the generator variant), which is not reader output.
  record(check(`streamed ${basename(file)}`, () => readStreamed(bytes), { records: expected.records }));
  if (indexedEligible(basename(file))) {
    indexedCount++;
    record(check(`indexed ${basename(file)}`, () => readIndexed(bytes), JSON.parse(JSON.stringify(expectedIndexed(expected.records)))));
  }
}
if (files.length !== STREAMED_FILES) { failed++; failures.push(`expected ${STREAMED_FILES} conformance files, found ${files.length}`); }
if (indexedCount !== INDEXED_FILES) { failed++; failures.push(`expected ${INDEXED_FILES} indexed files, found ${indexedCount}`); }
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`streamed: ${files.length} files, indexed: ${indexedCount} files`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
