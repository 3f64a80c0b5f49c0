import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSimCli } from './index.js';
import { readDrive } from './testing/read-drive.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argus-sim-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  return { out: () => out, err: () => err };
}

describe('argus sim', () => {
  it('writes a drive and prints a one-line summary', async () => {
    const io = capture();
    const out = join(dir, 'cli.mcap');
    const code = await runSimCli(['sim', '--out', out, '--fault', '0xA001@20', '--platform', 'K1', '--duration', '120',
      '--seed', '5', '--compression', 'lz4', '--no-summary', '--fw', 'adcu=4.5.1']);
    expect(code).toBe(0);
    expect(io.out().trim().split('\n')).toHaveLength(1);
    expect(io.out()).toMatch(/^wrote .*cli\.mcap: [\d.]+ MB, \d+ messages, 120 s, K1, seed 5, faults 0xA001@20-110s/);
    expect((await stat(out)).size).toBeGreaterThan(0);
    const d = await readDrive(out);
    expect(d.metadata[0]?.metadata.get('fw.adcu')).toBe('4.5.1');
    expect(d.metadata[0]?.metadata.get('platform')).toBe('K1');
    expect(d.chunkCompressions).toEqual(new Set(['lz4']));
    expect(d.statistics).toBeUndefined();
  });

  it('prints the scenario with --json', async () => {
    const io = capture();
    expect(await runSimCli(['--out', join(dir, 'j.mcap'), '--duration', '20', '--seed', '1', '--json', '--anomaly'])).toBe(0);
    const label = JSON.parse(io.out().trim().split('\n')[1] ?? '{}');
    expect(label).toMatchObject({ seed: 1, durationS: 20, unknownAnomaly: true, platform: 'J7' });
  });

  it('injects the unknown anomaly named by --anomaly-kind', async () => {
    const io = capture();
    expect(await runSimCli(['--out', join(dir, 'k.mcap'), '--duration', '100', '--seed', '2', '--json', '--anomaly-kind', 'stuck_signal:1'])).toBe(0);
    const label = JSON.parse(io.out().trim().split('\n')[1] ?? '{}');
    expect(label).toMatchObject({ unknownAnomaly: true, anomaly: { kind: 'stuck_signal', signal: '/localization/pose.x' } });
  });

  it.each([
    [['--duration', '10'], /--out is required/],
    [['--out', 'x.mcap', '--platform', 'Z9'], /--platform/],
    [['--out', 'x.mcap', '--compression', 'gzip'], /--compression/],
    [['--out', 'x.mcap', '--duration', 'long'], /--duration needs a number/],
    [['--out', 'x.mcap', '--fw', 'adcu'], /--fw needs/],
    [['--out', 'x.mcap', '--anomaly-kind', 'gremlins'], /--anomaly-kind must be one of/],
    [['--out', join(tmpdir(), 'argus-sim-never.mcap'), '--anomaly-kind', 'stuck_signal:7'], /unknown anomaly stuck_signal variant 7/],
    [['--out', join(tmpdir(), 'argus-sim-never.mcap'), '--fault', '0xC002', '--platform', 'T2'], /does not occur on platform T2/],
    [['--out', join(tmpdir(), 'argus-sim-never.mcap'), '--fault', '0xZZZZ'], /unknown fault/],
  ])('rejects %j with exit code 2', async (args, message) => {
    const io = capture();
    expect(await runSimCli(args)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('--help prints usage and succeeds', async () => {
    const io = capture();
    expect(await runSimCli(['--help'])).toBe(0);
    expect(io.err()).toMatch(/usage: argus sim --out FILE/);
  });
});
