/**
 * `argus sim`: writes one simulated drive and prints a one-line summary.
 *
 * @example
 * argus sim --out drive.mcap --fault 0xA001 --platform K1 --duration 180 --seed 7 --fw adcu=4.5.1
 */
import { parseArgs } from 'node:util';
import type { Compression } from './compression.js';
import { FAULT_CODES, UNKNOWN_ANOMALY_KINDS, type UnknownAnomalyKind } from './faults/index.js';
import { SimOptionsError, type FaultRequest } from './scenario.js';
import { PLATFORMS, type FirmwareComponent, type Platform } from './vehicle-metadata.js';
import { writeDrive, type WriteDriveOptions } from './write-drive.js';

const USAGE = `usage: argus sim --out FILE [options]
  --fault CODE[@START_S]   inject a catalogue fault (repeatable), e.g. 0xA001 or 0xA001@60
  --anomaly                inject an anomaly no catalogue entry describes (pack temperature rise)
  --anomaly-kind KIND[:N]  inject that kind of unknown anomaly, variant N (default 0)
  --platform J7|K1|T2      platform (default J7)
  --duration S             drive length in seconds (default 180)
  --seed N                 PRNG seed (same seed, same bytes)
  --compression zstd|lz4|none   chunk compression (default zstd)
  --chunk-size BYTES       chunk size (default 1048576)
  --no-summary             omit the summary section
  --no-chunks              write messages outside chunks
  --no-noise               no healthy noise (bridges, WARN blips, CPU spikes)
  --truncate-at BYTES      cut the file like a power cut
  --fw COMPONENT=VERSION   firmware override (repeatable), e.g. adcu=4.5.1
  --topics T1,T2           record only these topics
  --start-time RFC3339     drive start time
  --vin VIN  --vehicle-id ID
  --json                   print the scenario label as JSON after the summary
fault codes: ${FAULT_CODES.join(' ')}
anomaly kinds: ${UNKNOWN_ANOMALY_KINDS.join(' ')}`;

class UsageError extends Error {}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} needs a number, got "${v}"`);
  return n;
}

function anomalyOption(flag: boolean | undefined, kind: string | undefined): WriteDriveOptions['unknownAnomaly'] {
  if (kind === undefined) return flag ?? false;
  const [k = '', n] = kind.split(':');
  const variant = num('anomaly-kind', n) ?? 0;
  if (!(UNKNOWN_ANOMALY_KINDS as readonly string[]).includes(k)) throw new UsageError(`--anomaly-kind must be one of ${UNKNOWN_ANOMALY_KINDS.join(', ')}`);
  return { kind: k as UnknownAnomalyKind, variant };
}

function parse(argv: string[]): { options: WriteDriveOptions; json: boolean } {
  const args = argv[0] === 'sim' ? argv.slice(1) : argv;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      fault: { type: 'string', multiple: true },
      anomaly: { type: 'boolean' },
      'anomaly-kind': { type: 'string' },
      platform: { type: 'string' },
      duration: { type: 'string' },
      seed: { type: 'string' },
      compression: { type: 'string' },
      'chunk-size': { type: 'string' },
      'no-summary': { type: 'boolean' },
      'no-chunks': { type: 'boolean' },
      'no-noise': { type: 'boolean' },
      'truncate-at': { type: 'string' },
      fw: { type: 'string', multiple: true },
      topics: { type: 'string' },
      'start-time': { type: 'string' },
      vin: { type: 'string' },
      'vehicle-id': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.out) throw new UsageError('--out is required');
  const platform = values.platform ?? 'J7';
  if (!(PLATFORMS as readonly string[]).includes(platform)) throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}`);
  const compression = values.compression ?? 'zstd';
  if (!['zstd', 'lz4', 'none'].includes(compression)) throw new UsageError('--compression must be zstd, lz4 or none');
  const faults: FaultRequest[] = (values.fault ?? []).map((f) => {
    const [code = '', at] = f.split('@');
    const startS = num('fault', at);
    return startS === undefined ? { code } : { code, startS };
  });
  const firmware: Partial<Record<FirmwareComponent, string>> = {};
  for (const kv of values.fw ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0 || i === kv.length - 1) throw new UsageError(`--fw needs COMPONENT=VERSION, got "${kv}"`);
    firmware[kv.slice(0, i) as FirmwareComponent] = kv.slice(i + 1);
  }
  let startTime: Date | undefined;
  if (values['start-time'] !== undefined) {
    startTime = new Date(values['start-time']);
    if (Number.isNaN(startTime.getTime())) throw new UsageError(`--start-time is not a date: ${values['start-time']}`);
  }
  const options: WriteDriveOptions = {
    out: values.out,
    platform: platform as Platform,
    compression: compression as Compression,
    faults,
    firmware,
    unknownAnomaly: anomalyOption(values.anomaly, values['anomaly-kind']),
    healthyNoise: !(values['no-noise'] ?? false),
    summary: !(values['no-summary'] ?? false),
    chunked: !(values['no-chunks'] ?? false),
  };
  const seed = num('seed', values.seed);
  if (seed !== undefined) options.seed = seed;
  const duration = num('duration', values.duration);
  if (duration !== undefined) options.durationS = duration;
  const chunkSize = num('chunk-size', values['chunk-size']);
  if (chunkSize !== undefined) options.chunkSize = chunkSize;
  const truncateAt = num('truncate-at', values['truncate-at']);
  if (truncateAt !== undefined) options.truncateAt = truncateAt;
  if (values.topics !== undefined) options.topics = values.topics.split(',').map((t) => t.trim()).filter(Boolean);
  if (startTime) options.startTime = startTime;
  if (values.vin !== undefined) options.vin = values.vin;
  if (values['vehicle-id'] !== undefined) options.vehicleId = values['vehicle-id'];
  return { options, json: values.json ?? false };
}

/**
 * Runs `argus sim` with the arguments after the command name (a leading
 * `sim` is tolerated). Returns the process exit code: 0 ok, 1 failure, 2 usage.
 */
export async function runSimCli(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (err) {
    const msg = (err as Error).message;
    process.stderr.write(`${msg ? `argus sim: ${msg}\n` : ''}${USAGE}\n`);
    return err instanceof UsageError && msg === '' ? 0 : 2;
  }
  const began = performance.now();
  try {
    const r = await writeDrive(parsed.options);
    const s = r.scenario;
    const faults = s.faults.length ? s.faults.map((f) => `${f.code}@${f.startS}-${f.endS}s`).join(',') : 'none';
    const extras = [s.unknownAnomaly ? 'unknown anomaly' : '', r.truncated ? 'truncated' : ''].filter(Boolean).join(', ');
    process.stdout.write(
      `wrote ${r.path}: ${(r.bytes / 1e6).toFixed(2)} MB, ${r.messages} messages, ${s.durationS} s, ` +
        `${s.platform}, seed ${s.seed}, faults ${faults}${extras ? `, ${extras}` : ''} ` +
        `(${((performance.now() - began) / 1000).toFixed(1)} s)\n`,
    );
    if (parsed.json) process.stdout.write(`${JSON.stringify(s)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`argus sim: ${(err as Error).message}\n`);
    return err instanceof SimOptionsError ? 2 : 1;
  }
}
