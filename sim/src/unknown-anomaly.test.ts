import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anomalyVariants, DEFAULT_FIRMWARE, planScenario, SimOptionsError, UNKNOWN_ANOMALY_KINDS, writeDrive, type UnknownAnomalyKind } from './index.js';
import { field, readDrive, type DecodedDrive, type DecodedMessage } from './testing/read-drive.js';
import { evaluate, SIGNATURES } from './testing/signatures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argus-sim-anomaly-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
/** Mean absolute change between consecutive samples. */
const roughness = (xs: number[]): number => mean(xs.slice(1).map((x, i) => Math.abs(x - xs[i]!)));

/** Values of `topic.field` inside the window (settled) and before it. */
function split(d: DecodedDrive, signal: string, a: number, b: number, filter: (m: DecodedMessage) => boolean = () => true) {
  const topic = Object.keys(d.topics).find((t) => signal.startsWith(`${t}.`)) ?? '';
  const path = signal.slice(topic.length + 1);
  const msgs = (d.topics[topic] ?? []).filter(filter);
  const v = (m: DecodedMessage): number => Number(field(m.msg, path));
  return {
    inside: msgs.filter((m) => m.t >= a + 2 && m.t < b - 1).map(v),
    before: msgs.filter((m) => m.t < a - 1).map(v),
  };
}

const cases = UNKNOWN_ANOMALY_KINDS.flatMap((kind) => Array.from({ length: anomalyVariants(kind) }, (_, variant) => [kind, variant] as [UnknownAnomalyKind, number]));

// Each kind of anomaly no catalogue entry describes really shows on its signal,
// raises no status, and meets no item of any catalogue signature.
describe.each(cases)('unknown anomaly %s variant %i', (kind, variant) => {
  let d: DecodedDrive;
  let label: { signal: string; startS: number; endS: number };
  beforeAll(async () => {
    const out = join(dir, `${kind}-${variant}.mcap`);
    const r = await writeDrive({ out, seed: 40 + variant, durationS: 150, unknownAnomaly: { kind, variant }, healthyNoise: false });
    expect(r.scenario.anomaly?.kind).toBe(kind);
    label = r.scenario.anomaly!;
    d = await readDrive(out);
  }, 60_000);

  it('misbehaves on its signal inside its window', () => {
    const { startS: a, endS: b, signal } = label;
    if (kind === 'error_burst') {
      const node = signal.split(':')[1];
      const errors = (d.topics['/rosout'] ?? []).filter((m) => m.msg.name === node && (m.msg.level as number) >= 40);
      expect(errors.length).toBeGreaterThanOrEqual(15);
      expect(errors.every((m) => m.t >= a && m.t < b)).toBe(true);
      return;
    }
    if (kind === 'rate_collapse') {
      const msgs = d.topics[signal] ?? [];
      const rate = (lo: number, hi: number) => msgs.filter((m) => m.t >= lo && m.t < hi).length / (hi - lo);
      expect(rate(a + 1, b - 1)).toBeLessThan(0.3 * rate(0, a - 1));
      return;
    }
    const chassis = signal.endsWith('error_frames') ? (m: DecodedMessage) => m.msg.bus === 'chassis' : undefined;
    const { inside, before } = split(d, signal, a, b, chassis);
    expect(inside.length).toBeGreaterThan(20);
    expect(before.length).toBeGreaterThan(10);
    if (kind === 'stuck_signal') {
      expect(new Set(inside).size).toBe(1);
      expect(new Set(before).size).toBeGreaterThan(5);
    } else if (kind === 'oscillation') {
      expect(roughness(inside)).toBeGreaterThan(4 * roughness(before));
    } else {
      expect(mean(inside) - mean(before)).toBeGreaterThan(5 * Math.max(sd(before), 0.1));
    }
  });

  it('raises no status and meets no catalogue signature item', () => {
    const nonOk = (d.topics['/diagnostics'] ?? []).flatMap((m) => m.msg.status as { level: number }[]).filter((s) => s.level !== 0);
    expect(nonOk).toEqual([]);
    for (const [code, items] of Object.entries(SIGNATURES)) {
      for (const item of items) expect.soft(evaluate(d, item).met, `${code} ${item.kind} ${item.field ?? item.node ?? item.topic}`).toBe(false);
    }
  });
});

describe('unknown anomaly requests', () => {
  it('true still means the pack-temperature rise; a bad kind or variant is refused', () => {
    const base = { seed: 1, durationS: 120, platform: 'J7' as const, firmware: { ...DEFAULT_FIRMWARE.J7 }, faults: [], healthyNoise: false };
    expect(planScenario({ ...base, unknownAnomaly: true }).label.anomaly).toMatchObject({ kind: 'pack_temp_rise', signal: '/power/battery.pack_temp_c' });
    expect(() => planScenario({ ...base, unknownAnomaly: { kind: 'level_step', variant: 3 } })).toThrow(SimOptionsError);
    expect(() => planScenario({ ...base, unknownAnomaly: { kind: 'nope' as UnknownAnomalyKind } })).toThrow(/unknown anomaly nope/);
  });
});
