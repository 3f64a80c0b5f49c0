import { describe, expect, it } from 'vitest';
import { createLogger, type DiagnosisReport } from '@argus/shared';
import { DownlinkRedelivery } from './downlink-redelivery.js';

const VIN = 'LJ8E3C1M5PB000123';
const report = (id: string): DiagnosisReport => ({
  v: 1, report_id: id, batch_id: '0b8c3a52-5f0e-4c57-9a39-3f1d2b7c9e01', vin: VIN, platform: 'J7', status: 'healthy', summary: 'ok', findings: [], engine: 'rules', trace: [], created_at: '2026-01-01T00:00:00Z',
});

function setup(pending: DiagnosisReport[]) {
  const sent: string[] = [];
  const lines: { msg: string }[] = [];
  let reads = 0;
  let gate: Promise<void> = Promise.resolve();
  const r = new DownlinkRedelivery({
    undeliveredReports: async () => {
      reads++;
      await gate;
      return [...pending];
    },
    redeliverRecommendations: async () => 0,
    publishReport: async (_vin, rep) => {
      sent.push(rep.report_id);
    },
    log: createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as { msg: string })),
  });
  return { r, sent, lines, reads: () => reads, hold: () => { let open!: () => void; gate = new Promise((res) => (open = res)); return () => open(); } };
}

describe('DownlinkRedelivery', () => {
  it('re-sends every unacknowledged report when the vehicle comes online', async () => {
    const s = setup([report('a'), report('b')]);
    await s.r.online(VIN);
    expect(s.sent).toEqual(['a', 'b']);
    expect(s.lines.map((l) => l.msg)).toContain('downlink re-sent to a vehicle that came online');
  });

  it('coalesces signals that arrive during a run into exactly one more run', async () => {
    const s = setup([report('a')]);
    const open = s.hold();
    const first = s.r.online(VIN);
    // CONNACK and SUBSCRIBE of one reconnect, a second SUBSCRIBE: all while the first read waits.
    const more = [s.r.online(VIN), s.r.online(VIN)];
    open();
    await Promise.all([first, ...more]);
    expect(s.reads()).toBe(2);
    expect(s.sent).toEqual(['a', 'a']);
    await s.r.online(VIN); // a later signal runs again
    expect(s.reads()).toBe(3);
  });

  it('logs a failure and never rejects; the next signal tries again', async () => {
    const lines: { msg: string }[] = [];
    let fail = true;
    const sent: string[] = [];
    const r = new DownlinkRedelivery({
      undeliveredReports: async () => [report('a')],
      redeliverRecommendations: async () => 0,
      publishReport: async (_v, rep) => {
        if (fail) throw new Error('broker closing');
        sent.push(rep.report_id);
      },
      log: createLogger('debug', {}, (l) => lines.push(JSON.parse(l) as { msg: string })),
    });
    await expect(r.online(VIN)).resolves.toBeUndefined();
    expect(lines.map((l) => l.msg)).toContain('downlink re-send failed');
    fail = false;
    await r.online(VIN);
    expect(sent).toEqual(['a']);
  });
});
