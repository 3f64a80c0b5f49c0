/**
 * argus-parse: recording -> per-topic CSV parts + summary.json.
 *
 *   argus-parse <file.mcap> --out <dir> [--topics a,b] [--exclude x] [--decimate t=N,…] [--max-rate t=HZ,…] [--threads N] [--summary]
 *
 * Writes `<dir>/<topic with / replaced by __>/part-0000.csv`, ... and
 * `<dir>/summary.json`. With --summary the summary is also printed to stdout.
 * A progress line goes to stderr when stderr is a TTY.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { NativeParseError } from './native-parse-error.js';
import { parseRecording } from './parse.js';
import type { ParseOptions } from './types.js';
import { allCoreThreads, checkParseOptions, parseTopicNumbers } from './parse-options.js';

const USAGE = `usage: argus-parse <file.mcap> --out <dir> [options]
  --topics a,b          decode only these topics (names or globs with *)
  --exclude x,y         skip these topics (wins over --topics)
  --decimate t=N,…      keep every Nth message of topic t, e.g. --decimate /imu=10
  --max-rate t=HZ,…     at most HZ messages per second of log time on topic t, e.g. --max-rate '/camera/*=2'
  --threads N           threads that decode and write rows (default: every core)
  --summary             also print summary.json to stdout
  --no-crc              skip CRC checks`;

/** Directory name for a topic: `/sensors/imu` -> `__sensors__imu`. */
export function topicDir(topic: string): string {
  return topic.replace(/\//g, '__').replace(/[^A-Za-z0-9_.#-]/g, '_');
}

const list = (s: string | undefined): string[] | undefined =>
  s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        topics: { type: 'string' },
        exclude: { type: 'string' },
        decimate: { type: 'string' },
        'max-rate': { type: 'string' },
        threads: { type: 'string' },
        summary: { type: 'boolean', default: false },
        'no-crc': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const file = args.positionals[0];
  const out = args.values.out;
  if (args.values.help || !file || !out) {
    process.stderr.write(`${USAGE}\n`);
    return args.values.help ? 0 : 2;
  }
  const opts: ParseOptions = {
    checkCrc: !args.values['no-crc'],
    threads: args.values.threads === undefined ? allCoreThreads() : Number(args.values.threads),
  };
  const topics = list(args.values.topics);
  const exclude = list(args.values.exclude);
  if (topics) opts.topics = topics;
  if (exclude) opts.excludeTopics = exclude;
  try {
    if (args.values.decimate !== undefined) opts.decimate = parseTopicNumbers('decimate', args.values.decimate);
    if (args.values['max-rate'] !== undefined) opts.maxRateHz = parseTopicNumbers('max-rate', args.values['max-rate']);
    checkParseOptions(opts);
  } catch (e) {
    process.stderr.write(`argus-parse: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }

  const total = (await stat(file)).size;
  const tty = process.stderr.isTTY === true;
  const made = new Set<string>();
  let rows = 0;
  let parts = 0;
  try {
    const it = parseRecording(file, opts);
    for (let r = await it.next(); ; r = await it.next()) {
      if (r.done) {
        const summary = r.value;
        await mkdir(out, { recursive: true });
        const text = `${JSON.stringify(summary, null, 2)}\n`;
        await writeFile(join(out, 'summary.json'), text);
        if (tty) process.stderr.write(`\r${parts} parts, ${rows} rows, ${summary.problems.length} problems\n`);
        if (args.values.summary) process.stdout.write(text);
        return 0;
      }
      const chunk = r.value;
      const dir = join(out, topicDir(chunk.topic));
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      await writeFile(join(dir, `part-${String(chunk.index).padStart(4, '0')}.csv`), chunk.csv);
      rows += chunk.rows;
      parts++;
      if (tty) process.stderr.write(`\r${parts} parts, ${rows} rows (${total} bytes file)`);
    }
  } catch (e) {
    if (e instanceof NativeParseError) {
      process.stderr.write(`${tty ? '\n' : ''}argus-parse: ${e.code}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
