import { ProtocolError, VehicleInfo } from '@argus/shared';

/**
 * Turns the recording's `vehicle` metadata map (vin, vehicle_id, platform,
 * drive_id, started_at, fw.<component>) into VehicleInfo. `vinOverride` is the
 * agent's configured VIN, which wins when set.
 */
export function vehicleInfoFromMetadata(meta: Record<string, string>, file: string, vinOverride?: string): VehicleInfo {
  const firmware: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) if (k.startsWith('fw.')) firmware[k.slice(3)] = v;
  const r = VehicleInfo.safeParse({
    vin: vinOverride ?? meta['vin'],
    vehicle_id: meta['vehicle_id'],
    platform: meta['platform'],
    drive_id: meta['drive_id'],
    started_at: meta['started_at'],
    firmware,
  });
  if (!r.success) {
    throw new ProtocolError('BAD_VEHICLE_METADATA', `${file}: the 'vehicle' metadata record is missing or invalid (${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  }
  return r.data;
}
