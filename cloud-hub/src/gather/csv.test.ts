import { describe, expect, it } from 'vitest';
import { cellNumber, forEachCsvRow, parseCell } from './csv.js';

const rows = (text: string): string[][] => {
  const out: string[][] = [];
  forEachCsvRow(text, (c) => out.push(c));
  return out;
};

describe('forEachCsvRow (RFC 4180)', () => {
  it('splits plain rows, LF and CRLF, with or without a final line break', () => {
    expect(rows('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(rows('a,b\r\n1,2\r\n3,4')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(rows('a,,c\n,,\n')).toEqual([['a', '', 'c'], ['', '', '']]);
  });

  it('skips empty lines and a byte-order mark', () => {
    expect(rows('\ufeffa,b\n\n1,2\n\r\n')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('handles quoted fields: commas, escaped quotes, line breaks (§2.5–2.7)', () => {
    const json = '[{"level":2,"name":"lidar_front","message":"no data, received","values":[{"key":"code","value":"0x8004"}]}]';
    const quoted = `"${json.replace(/"/g, '""')}"`;
    expect(rows(`t,status\n1,${quoted}\n2,"[]"\n`)).toEqual([['t', 'status'], ['1', json], ['2', '[]']]);
    expect(rows('a,b\n"line1\nline2",x\r\n"he said ""hi""",""\n')).toEqual([['a', 'b'], ['line1\nline2', 'x'], ['he said "hi"', '']]);
    expect(rows('"a",b,"c"\r\n1,"2",3')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
  });

  it('keeps an unterminated quoted field (truncated chunk) as the rest of the text', () => {
    expect(rows('a,b\n1,"abc\n')).toEqual([['a', 'b'], ['1', 'abc\n']]);
  });

  it('reads a multi-MB chunk quickly', () => {
    const header = 'log_time_ns,publish_time_ns,sequence,x,y,z,flag,name';
    const lines = [header];
    for (let i = 0; i < 100_000; i++) lines.push(`${1_760_000_000_000_000_000n + BigInt(i) * 10_000_000n},0,${i},${i * 0.5},-${i},3.25e-3,true,"n,${i}"`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(5_000_000);
    let n = 0;
    let last: string[] = [];
    const t = performance.now();
    forEachCsvRow(text, (c) => {
      n++;
      last = c;
    });
    expect(performance.now() - t).toBeLessThan(1500);
    expect(n).toBe(100_001);
    expect(last).toEqual(['1760000999990000000', '0', '99999', '49999.5', '-99999', '3.25e-3', 'true', 'n,99999']);
  });
});

describe('parseCell', () => {
  it('types cells', () => {
    expect(parseCell('')).toBeNull();
    expect(parseCell('-1')).toBe(-1);
    expect(parseCell('3.5e2')).toBe(350);
    expect(parseCell('.5')).toBe(0.5);
    expect(parseCell('true')).toBe(true);
    expect(parseCell('false')).toBe(false);
    expect(parseCell('NaN')).toBeNaN();
    expect(parseCell('-inf')).toBe(-Infinity);
    expect(parseCell('D')).toBe('D');
    expect(parseCell('-x')).toBe('-x');
    expect(parseCell('0x8004')).toBe(32772);
    expect(cellNumber(true)).toBe(1);
    expect(cellNumber('x')).toBeNaN();
  });
});
