import { describe, expect, it } from 'vitest';
import { checkVehicleToken, vehicleToken } from './credentials.js';
import { fleetSubscription, parseVehicleTopic, vehicleScope, vehicleTopic } from './topics.js';

const VIN = 'LJ8E3C1M5PB000123';

describe('topics', () => {
  it('builds and parses vehicle topics', () => {
    expect(vehicleTopic(VIN, 'chunks')).toBe(`argus/v1/vehicles/${VIN}/chunks`);
    expect(parseVehicleTopic(vehicleTopic(VIN, 'diagnosis'))).toEqual({ vin: VIN, kind: 'diagnosis' });
    expect(fleetSubscription('manifest')).toBe('argus/v1/vehicles/+/manifest');
    expect(vehicleScope(VIN)).toBe(`argus/v1/vehicles/${VIN}/#`);
  });

  it('rejects anything that is not an Argus vehicle topic', () => {
    for (const t of ['', 'argus/v1/vehicles', `argus/v2/vehicles/${VIN}/chunks`, `argus/v1/vehicles/${VIN}/unknown`,
      `argus/v1/vehicles/${VIN}/chunks/extra`, 'argus/v1/vehicles/+/chunks', 'argus/v1/vehicles/#', `argus/v1/vehicles/${VIN.toLowerCase()}/chunks`,
      'argus/v1/vehicles/SHORT/chunks', `argus/v1/vehicles/${VIN.slice(0, 16)}O/chunks`]) {
      expect(parseVehicleTopic(t)).toBeNull();
    }
  });
});

describe('vehicle credentials', () => {
  it('derives one token per vehicle and checks it', () => {
    const t = vehicleToken('secret-1', VIN);
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    expect(checkVehicleToken('secret-1', VIN, t)).toBe(true);
    expect(checkVehicleToken('secret-2', VIN, t)).toBe(false);
    expect(checkVehicleToken('secret-1', 'LJ8E3C1M5PB000124', t)).toBe(false);
    expect(checkVehicleToken('secret-1', VIN, t.slice(1))).toBe(false);
  });
});
