import { describe, expect, it } from 'vitest';
import { UplinkAdmission } from './uplink-admission.js';

describe('UplinkAdmission', () => {
  it('lets a vehicle go on below its limit; the message that reaches it waits, and handling frees the place', () => {
    const a = new UplinkAdmission<object>(3, 1e9);
    const v = {};
    const w = {};
    expect([a.take(v, 10), a.take(v, 10), a.take(v, 10)]).toEqual([true, true, false]);
    expect(a.take(w, 10)).toBe(true); // another vehicle has its own count
    a.done(v, 10);
    expect(a.take(v, 10)).toBe(false); // 3 in hand again
    a.done(v, 10);
    a.done(v, 10);
    expect(a.take(v, 10)).toBe(true);
    expect(a.inHand).toEqual({ messages: 3, bytes: 30 }); // v: 2, w: 1
  });

  it('never lets a vehicle go on with a limit of 1', () => {
    const a = new UplinkAdmission<object>(1, 1e9);
    const v = {};
    expect(a.take(v, 1)).toBe(false);
    a.done(v, 1);
    expect(a.take(v, 1)).toBe(false);
  });

  it('holds every vehicle back while the bytes in hand exceed the budget, and lets them go once handled', () => {
    const a = new UplinkAdmission<object>(16, 100);
    const v = {};
    const w = {};
    expect(a.take(v, 60)).toBe(true);
    expect(a.take(w, 60)).toBe(false); // 120 > 100
    a.done(v, 60);
    expect(a.take(v, 30)).toBe(true); // 90
    a.done(w, 60);
    a.done(v, 30);
    expect(a.inHand).toEqual({ messages: 0, bytes: 0 });
  });

  it('refuses a limit below 1 or a budget that is not positive', () => {
    expect(() => new UplinkAdmission(0, 1)).toThrow(RangeError);
    expect(() => new UplinkAdmission(1.5, 1)).toThrow(RangeError);
    expect(() => new UplinkAdmission(1, 0)).toThrow(RangeError);
  });
});
