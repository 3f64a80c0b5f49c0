import { describe, expect, it } from 'vitest';
import { compareVersions, isValidRange, parseVersion, versionInRange } from './version-range.js';

describe('compareVersions', () => {
  it.each([
    ['3.2.0', '3.2.0', 0],
    ['3.10.0', '3.9.9', 1],
    ['3.1.4', '3.2.0', -1],
    ['4.5', '4.5.0', 0],
    ['v2.4.1', '2.4.1', 0],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-rc.2', '1.0.0-rc.10', -1],
    ['1.0.0+build.5', '1.0.0', 0],
    ['10.0.0', '9.99.99', 1],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
    expect(compareVersions(b, a)).toBe(-want || 0);
  });

  it('rejects non-versions', () => {
    expect(parseVersion('abc')).toBeNull();
    expect(parseVersion('1.2.3.4')).toBeNull();
    expect(() => compareVersions('1.0.0', 'x')).toThrow(/not a version: x/);
  });
});

describe('versionInRange', () => {
  it.each([
    // catalogue forms
    ['3.1.4', '*', true],
    ['3.1.4', '<3.2.0', true],
    ['3.2.0', '<3.2.0', false],
    ['3.3.0', '<3.2.0', false],
    ['2.4.0', '>=2.4.0', true],
    ['2.3.9', '>=2.4.0', false],
    ['4.5.0', '4.5.0 - 4.5.3', true],
    ['4.5.3', '4.5.0 - 4.5.3', true],
    ['4.5.4', '4.5.0 - 4.5.3', false],
    ['4.4.9', '4.5.0 - 4.5.3', false],
    ['4.7.0', '4.7.0', true],
    ['4.7.1', '4.7.0', false],
    ['4.6.2', '4.7.0', false],
    // more forms
    ['4.7.0', '=4.7.0', true],
    ['1.5.0', '>=1.0.0 <2.0.0', true],
    ['2.0.0', '>=1.0.0 <2.0.0', false],
    ['2.0.0', '>= 1.0.0 <= 2.0.0', true],
    ['5.0.0', '<1.0.0 || >=5.0.0', true],
    ['3.0.0', '<1.0.0 || >=5.0.0', false],
    ['3.2.0-rc.1', '<3.2.0', true],
    ['6.1.0', '>6.0.9', true],
    ['not-a-version', '*', true],
    ['not-a-version', '<3.2.0', false],
    ['1.0.0', 'garbage', false],
  ])('%s in %s → %s', (v, r, want) => {
    expect(versionInRange(v, r)).toBe(want);
  });

  it('validates ranges', () => {
    for (const ok of ['*', '<3.2.0', '>=2.4.0', '4.5.0 - 4.5.3', '4.7.0', '>=1 <2', 'x', '1.0.0 || 2.0.0']) expect(isValidRange(ok)).toBe(true);
    for (const bad of ['', '<', '>=abc', '1.0.0 -', 'latest', '4.5.0 - x', '||']) expect(isValidRange(bad)).toBe(false);
  });
});
