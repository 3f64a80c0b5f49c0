/**
 * The hard filters of retrieval, computed in TypeScript where SQL cannot
 * (version ranges) and handed to SQL as plain lists. Pure.
 */
import { versionInRange } from '../kb/version-range.js';

/** What retrieval needs to know about a cause to filter on it. */
export interface CauseScope {
  id: string;
  fault_code: string;
  platforms: string[];
  firmware_component: string;
  affected_versions: string;
}

/** The vehicle the query is about. */
export interface VehicleScope {
  platform: string;
  firmware: Record<string, string>;
}

/**
 * Whether a cause applies to a vehicle: its platform is listed and the
 * vehicle's version of the cause's component lies in the affected range (an
 * unreported version only fits the range `*`). Same rule as diagnosis/select-cause.ts.
 */
export function causeFits(c: CauseScope, v: VehicleScope): { ok: boolean; why: string } {
  if (!c.platforms.includes(v.platform)) return { ok: false, why: `${c.id} is for ${c.platforms.join('/')}, not ${v.platform}` };
  const version = v.firmware[c.firmware_component];
  if (version === undefined) {
    const any = c.affected_versions.trim() === '*';
    return { ok: any, why: `${c.firmware_component} version unknown; range ${c.affected_versions}` };
  }
  const ok = versionInRange(version, c.affected_versions);
  return { ok, why: `${c.firmware_component} ${version} ${ok ? 'in' : 'not in'} ${c.affected_versions}` };
}

/** Ids of the causes that fit the vehicle. */
export function allowedCauseIds(causes: CauseScope[], v: VehicleScope): string[] {
  return causes.filter((c) => causeFits(c, v).ok).map((c) => c.id);
}

/** An OR full-text query (`a | b | c`) from free text: safe words only, at most `max` distinct. */
export function orTsQuery(text: string, max = 48): string {
  const ws = [...new Set((text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 1))].slice(0, max);
  return ws.join(' | ');
}
