/**
 * The labelled scenario set of `npm run eval:diagnosis`, from the drive
 * simulator: every catalogue fault on every platform, firmware variants
 * (including firmware where no cause applies), cascades and two faults in
 * one drive, healthy drives, every kind and variant of anomaly no catalogue
 * entry describes, and truncated recordings. Expected causes come from the
 * reference fleet catalogue, not from our KB. Seeds start at 5000: far from
 * the healthy drives the shipped baseline was learned from (learn-baseline.ts).
 */
import { readFileSync } from 'node:fs';
import { versionInRange } from '@argus/cloud-hub';
import { sharedPath } from '@argus/native/shared-data';
import { anomalyVariants, FAULT_CODES, FAULT_PLATFORMS, PLATFORMS, UNKNOWN_ANOMALY_KINDS, type Platform, type UnknownAnomalyRequest } from '@argus/sim';

/** Healthy drives per platform. */
export const HEALTHY_PER_PLATFORM = 8;
/** Drives per kind and variant of unknown anomaly (on different platforms). */
export const UNKNOWN_PER_VARIANT = 2;

interface CatCause { id: string; platforms: string[]; firmware_component: string; affected_versions: string }
interface CatFault { code: string; platforms: string[]; causes: CatCause[] }

/** One labelled scenario. */
export interface Scenario {
  id: string;
  kind: 'fault' | 'firmware-variant' | 'two-faults' | 'healthy' | 'unknown' | 'truncated';
  platform: Platform;
  firmware?: Record<string, string>;
  faults: { code: string; startS?: number }[];
  unknownAnomaly?: UnknownAnomalyRequest;
  /** Cut the recording at this share of its full size. */
  truncateShare?: number;
  seed: number;
  /** Codes any of which may come first (root first). */
  expectedTop: string[];
}

/** Default firmware of the simulator per platform (copied from the fleet snapshot). */
const VERSIONS = ['0.9.0', '1.5.0', '1.8.4', '1.9.2', '2.3.8', '2.4.2', '2.9.6', '3.0.1', '3.1.4', '3.2.1', '4.5.2', '4.5.9', '4.6.2', '4.7.0', '5.0.9', '5.1.3', '6.0.5', '6.1.2', '7.1.4', '7.2.1'];

/** The catalogue's faults (`../shared/fleet/fault-catalogue.json` beside the repository). */
export function catalogue(): CatFault[] {
  return (JSON.parse(readFileSync(sharedPath('fleet', 'fault-catalogue.json'), 'utf8')) as { faults: CatFault[] }).faults;
}

/** The catalogue's cause of `code` for a vehicle (null when none applies). */
export function expectedCause(cat: CatFault[], code: string, platform: string, firmware: Record<string, string>): string | null {
  const f = cat.find((x) => x.code === code);
  const fits = (f?.causes ?? []).filter((c) => c.platforms.includes(platform) && (c.affected_versions.trim() === '*' || (firmware[c.firmware_component] !== undefined && versionInRange(firmware[c.firmware_component]!, c.affected_versions))));
  return fits[0]?.id ?? null;
}

/** Builds the scenario set; `defaults` gives the simulator's firmware per platform. */
export function scenarios(defaults: Record<Platform, Record<string, string>>): Scenario[] {
  const cat = catalogue();
  const out: Scenario[] = [];
  let seed = 5000;
  for (const code of FAULT_CODES) {
    for (const platform of FAULT_PLATFORMS[code] ?? []) {
      out.push({ id: `${code}/${platform}`, kind: 'fault', platform, faults: [{ code }], seed: seed++, expectedTop: [code] });
      // Firmware variants: one per distinct expected cause other than the default's.
      const f = cat.find((x) => x.code === code)!;
      const components = [...new Set(f.causes.map((c) => c.firmware_component))];
      const seen = new Set([expectedCause(cat, code, platform, defaults[platform])]);
      for (const comp of components) {
        for (const v of VERSIONS) {
          const fw = { ...defaults[platform], [comp]: v };
          const e = expectedCause(cat, code, platform, fw);
          if (seen.has(e)) continue;
          seen.add(e);
          out.push({ id: `${code}/${platform}/${comp}=${v}`, kind: 'firmware-variant', platform, firmware: { [comp]: v }, faults: [{ code }], seed: seed++, expectedTop: [code] });
        }
      }
    }
  }
  const pairs: [string, string, Platform][] = [['0xA001', '0xE002', 'K1'], ['0xB001', '0xD003', 'J7'], ['0x8004', '0xD001', 'T2'], ['0x9001', '0xA002', 'J7']];
  for (const [a, b, platform] of pairs) {
    out.push({ id: `${a}+${b}/${platform}`, kind: 'two-faults', platform, faults: [{ code: a, startS: 30 }, { code: b, startS: 90 }], seed: seed++, expectedTop: [a, b] });
  }
  for (const platform of PLATFORMS) {
    for (let i = 0; i < HEALTHY_PER_PLATFORM; i++) out.push({ id: `healthy/${platform}/${i}`, kind: 'healthy', platform, faults: [], seed: seed++, expectedTop: [] });
  }
  let p = 0;
  for (const kind of UNKNOWN_ANOMALY_KINDS) {
    for (let variant = 0; variant < anomalyVariants(kind); variant++) {
      for (let i = 0; i < UNKNOWN_PER_VARIANT; i++) {
        const platform = PLATFORMS[p++ % PLATFORMS.length]!;
        out.push({ id: `unknown/${kind}:${variant}/${platform}`, kind: 'unknown', platform, faults: [], unknownAnomaly: { kind, variant }, seed: seed++, expectedTop: [] });
      }
    }
  }
  for (const [code, platform] of [['0x8004', 'K1'], ['0xB001', 'J7'], ['0xA003', 'T2'], ['0xC001', 'J7']] as const) {
    out.push({ id: `truncated/${code}/${platform}`, kind: 'truncated', platform, faults: [{ code, startS: 20 }], truncateShare: 0.6, seed: seed++, expectedTop: [code] });
  }
  return out;
}
