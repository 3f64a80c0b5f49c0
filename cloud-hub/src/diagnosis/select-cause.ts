/**
 * Cause selection: which of a fault's causes fit this vehicle's platform and
 * the firmware version of each cause's component.
 */
import type { Evidence, VehicleInfo } from '@argus/shared';
import type { KbCause, KbFault } from '../kb/knowledge-base.js';
import { versionInRange } from '../kb/version-range.js';

/** Result of {@link selectCause}. */
export interface CauseSelection {
  /** The cause reported: the only candidate, or the first of several; null when none fits. */
  chosen: KbCause | null;
  /** Every cause that fits. */
  candidates: KbCause[];
  /** Why each cause was kept or rejected, one line per cause. */
  reasons: string[];
  evidence: Evidence[];
}

function fits(cause: KbCause, vehicle: VehicleInfo): { ok: boolean; why: string } {
  if (!cause.platforms.includes(vehicle.platform)) return { ok: false, why: `${cause.id}: not for platform ${vehicle.platform} (${cause.platforms.join(', ')})` };
  const version = vehicle.firmware[cause.firmware_component];
  if (version === undefined) {
    const any = cause.affected_versions.trim() === '*';
    return { ok: any, why: `${cause.id}: ${cause.firmware_component} version not reported; range ${cause.affected_versions}${any ? ' covers any' : ' cannot be checked'}` };
  }
  const ok = versionInRange(version, cause.affected_versions);
  return { ok, why: `${cause.id}: ${cause.firmware_component} ${version} ${ok ? 'in' : 'not in'} ${cause.affected_versions}` };
}

/**
 * Picks the cause of `fault` for `vehicle`.
 * @example selectCause(lidarTimeout, { platform: 'K1', firmware: { lidar_front: '3.1.4' }, … }).chosen?.id // '0x8004-b'
 */
export function selectCause(fault: KbFault, vehicle: VehicleInfo): CauseSelection {
  const reasons: string[] = [];
  const candidates: KbCause[] = [];
  for (const c of fault.causes) {
    const r = fits(c, vehicle);
    reasons.push(r.why);
    if (r.ok) candidates.push(c);
  }
  const chosen = candidates[0] ?? null;
  const evidence: Evidence[] = [];
  if (chosen) {
    evidence.push({ kind: 'kb', ref: chosen.id, text: `KB ${fault.code} ${fault.name}, cause ${chosen.id} (${reasons[fault.causes.indexOf(chosen)] ?? ''})` });
    for (const other of candidates.slice(1)) {
      evidence.push({ kind: 'kb', ref: other.id, text: `also possible: cause ${other.id}: ${other.root_cause}` });
    }
  } else {
    evidence.push({
      kind: 'kb',
      ref: fault.code,
      text: `KB ${fault.code} ${fault.name}: cause unknown: no known cause fits platform ${vehicle.platform} with this firmware (${reasons.join('; ')})`,
    });
  }
  return { chosen, candidates, reasons, evidence };
}
