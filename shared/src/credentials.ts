import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Per-vehicle credential derived from the fleet secret:
 * `hex(HMAC-SHA256(fleetSecret, "argus-vehicle:" + vin))`. The hub checks it
 * without a credential table; a provisioning step writes it to each vehicle.
 */
export function vehicleToken(fleetSecret: string, vin: string): string {
  return createHmac('sha256', fleetSecret).update(`argus-vehicle:${vin}`).digest('hex');
}

/** Constant-time check of a vehicle's token. */
export function checkVehicleToken(fleetSecret: string, vin: string, token: string): boolean {
  const want = Buffer.from(vehicleToken(fleetSecret, vin));
  const got = Buffer.from(token);
  return want.length === got.length && timingSafeEqual(want, got);
}
