/**
 * Fleet impact of a cause: which vehicles run an affected firmware version,
 * so one campaign can cover them. Pure; CSV per RFC 4180.
 */
import { versionInRange } from '../kb/version-range.js';

/** A vehicle as the fleet tables hold it. */
export interface FleetVehicle {
  vin: string;
  platform: string | null;
  firmware: Record<string, string>;
  last_seen_at: string;
}

/** One affected vehicle. */
export interface ImpactRow {
  vin: string;
  platform: string | null;
  component: string;
  version: string;
  last_seen_at: string;
}

/** Vehicles whose `component` version lies in `range` (and whose platform is in `platforms`, when given). */
export function fleetImpact(vehicles: readonly FleetVehicle[], q: { component: string; range: string; platforms?: readonly string[] }): ImpactRow[] {
  const rows: ImpactRow[] = [];
  for (const v of vehicles) {
    if (q.platforms && q.platforms.length > 0 && !(v.platform && q.platforms.includes(v.platform))) continue;
    const version = v.firmware[q.component];
    if (version === undefined || !versionInRange(version, q.range)) continue;
    rows.push({ vin: v.vin, platform: v.platform, component: q.component, version, last_seen_at: v.last_seen_at });
  }
  return rows.sort((a, b) => a.vin.localeCompare(b.vin));
}

function csvField(v: string | null): string {
  const s = v ?? '';
  // Formula-looking cells are prefixed so spreadsheets do not evaluate them (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV with a header line, CRLF line ends (RFC 4180 §2). */
export function impactCsv(rows: readonly ImpactRow[]): string {
  const cols = ['vin', 'platform', 'component', 'version', 'last_seen_at'] as const;
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvField(r[c])).join(','))].join('\r\n') + '\r\n';
}
