import { describe, expect, it } from 'vitest';
import { createPinoLogger } from './pino-logger.js';

describe('createPinoLogger', () => {
  it('writes one JSON object per line with bound vehicle and batch ids', () => {
    const lines: string[] = [];
    const log = createPinoLogger('info', { svc: 'hub' }, (l) => lines.push(l));
    const child = log.child({ vin: 'LJ8A1B2C3D4E5F6G7' }).child({ batch_id: 'b-1' });
    child.info('chunk stored', { chunk_index: 3 });
    child.debug('not shown');
    log.error('boom', { err: 'x' });
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 30, level_name: 'info', svc: 'hub', vin: 'LJ8A1B2C3D4E5F6G7', batch_id: 'b-1', chunk_index: 3, msg: 'chunk stored' });
    expect(typeof first['time']).toBe('number');
    expect(JSON.parse(lines[1] as string)).toMatchObject({ level: 50, msg: 'boom', err: 'x' });
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
  });

  it('silent writes nothing', () => {
    const lines: string[] = [];
    createPinoLogger('silent', {}, (l) => lines.push(l)).error('x');
    expect(lines).toEqual([]);
  });
});
