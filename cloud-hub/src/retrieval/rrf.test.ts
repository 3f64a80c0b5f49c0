import { describe, expect, it } from 'vitest';
import { allowedCauseIds, causeFits, orTsQuery } from './filters.js';
import { rrf } from './rrf.js';

describe('rrf', () => {
  it('rewards agreement between lists and keeps each list rank', () => {
    const f = rrf([{ name: 'vector', ids: ['a', 'b', 'c'] }, { name: 'text', ids: ['b', 'c'] }], 60);
    expect(f.map((x) => x.id)).toEqual(['b', 'c', 'a']);
    expect(f[0]).toEqual({ id: 'b', score: 1 / 62 + 1 / 61, ranks: { vector: 2, text: 1 } });
  });
  it('weights and k tune the fusion', () => {
    const lists = [{ name: 'vector', ids: ['a', 'b'] }, { name: 'text', ids: ['b', 'a'], weight: 3 }];
    expect(rrf(lists)[0]!.id).toBe('b');
    // a: first in one list, tenth in the other; b: third in both. Small k favours the top rank.
    const pad = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    const two = [{ name: 'v', ids: ['a', 'x', 'b'] }, { name: 't', ids: ['y', 'z', 'b', ...pad, 'a'] }];
    expect(rrf(two, 1)[0]!.id).toBe('a');
    expect(rrf(two, 60)[0]!.id).toBe('b');
  });
  it('breaks ties by id and ignores duplicates within a list', () => {
    expect(rrf([{ name: 'v', ids: ['b', 'b'] }, { name: 't', ids: ['a'] }]).map((x) => x.id)).toEqual(['a', 'b']);
  });
});

describe('hard filters', () => {
  const causes = [
    { id: 'x-a', fault_code: 'x', platforms: ['J7'], firmware_component: 'lidar_front', affected_versions: '*' },
    { id: 'x-b', fault_code: 'x', platforms: ['K1', 'T2'], firmware_component: 'lidar_front', affected_versions: '<3.2.0' },
  ];
  it('keeps only causes for the platform and firmware', () => {
    expect(allowedCauseIds(causes, { platform: 'K1', firmware: { lidar_front: '3.1.4' } })).toEqual(['x-b']);
    expect(allowedCauseIds(causes, { platform: 'K1', firmware: { lidar_front: '3.2.1' } })).toEqual([]);
    expect(allowedCauseIds(causes, { platform: 'J7', firmware: {} })).toEqual(['x-a']);
    expect(causeFits(causes[1]!, { platform: 'T2', firmware: {} })).toEqual({ ok: false, why: 'lidar_front version unknown; range <3.2.0' });
  });
  it('builds a safe OR tsquery', () => {
    expect(orTsQuery("front lidar's 0x8004 & | !x (timeout) front")).toBe('front | lidar | 0x8004 | timeout');
    expect(orTsQuery('!!')).toBe('');
  });
});
