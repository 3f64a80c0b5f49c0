import { describe, expect, it } from 'vitest';
import type { Finding } from '@argus/shared';
import { demoKnowledgeBase } from '../kb/demo-kb.js';
import type { RetrievalHit } from '../retrieval/retriever.js';
import { runGraph } from './graph.js';
import { causeFromHits, guardCause, routeItem } from './route.js';
import { DEFAULT_POLICY, type WorkItem } from './state.js';

const kb = demoKnowledgeBase();
const finding = (code: string | null): Finding => ({ code, name: code ?? 'x', cause_id: null, confidence: 0.8, root_cause: null, resolution: null, recommended_firmware: null, consequences: [], evidence: [] });
const cause = (id: string) => kb.faults.flatMap((f) => f.causes).find((c) => c.id === id)!;
const hit = (id: string, codes: string[], causes: string[]): RetrievalHit => ({ passage: { id, source_kind: 'cause', source_id: id, fault_codes: codes, cause_ids: causes, platforms: [], title: id, body: '' }, score: 1, scores: {}, why: ['test'] });
const item = (code: string | null, candidates: string[], o: Partial<WorkItem> = {}): WorkItem => ({ finding: finding(code), candidates: candidates.map(cause), rounds: 0, queries: [], hits: [], ...o });

describe('supervisor routing', () => {
  it('fast path only for a known code with exactly one fitting cause', () => {
    expect(routeItem(item('0x8004', ['0x8004-b']), DEFAULT_POLICY, 8)).toBe('fast');
    expect(routeItem(item('0x8004', []), DEFAULT_POLICY, 8)).toBe('retrieve');
    expect(routeItem(item('0x8004', ['0x8004-b']), { ...DEFAULT_POLICY, fastPath: false }, 8)).toBe('retrieve');
    expect(routeItem(item(null, []), DEFAULT_POLICY, 8)).toBe('retrieve');
  });
  it('stops retrieving at the round limit or when the budget is spent', () => {
    expect(routeItem(item('0x8004', [], { rounds: 2 }), DEFAULT_POLICY, 8)).toBe('decide');
    expect(routeItem(item(null, [], { rounds: 1 }), DEFAULT_POLICY, 0)).toBe('unknown');
  });
  it('guards causes: must exist under the fault and fit platform + firmware', () => {
    const k1 = { vin: 'X', platform: 'K1', firmware: { lidar_front: '3.1.4' } };
    expect(guardCause(kb, '0x8004', '0x8004-b', k1).cause?.id).toBe('0x8004-b');
    expect(guardCause(kb, '0x8004', '0x8004-a', k1).cause).toBeNull();
    expect(guardCause(kb, '0x8004', '0x9001-a', k1).cause).toBeNull();
    expect(guardCause(kb, '0x8004', 'made-up', k1).why).toMatch(/not a cause/);
  });
  it('takes the best retrieved cause that passes the guard; the baseline trusts only the top one', () => {
    const k1 = { vin: 'X', platform: 'K1', firmware: { lidar_front: '3.1.4' } };
    const it0 = item('0x8004', [], { hits: [hit('cause:0x8004-a', ['0x8004'], ['0x8004-a']), hit('cause:0x8004-b', ['0x8004'], ['0x8004-b'])] });
    expect(causeFromHits(kb, it0, k1).cause?.id).toBe('0x8004-b');
    expect(causeFromHits(kb, it0, k1, { firstOnly: true }).cause).toBeNull();
  });
});

describe('runGraph', () => {
  it('records every step and stops on end', async () => {
    let t = 0;
    const s = await runGraph<{ n: number; trace: { step: string; ms: number; detail: Record<string, unknown> }[] }, 'a' | 'b'>(
      { a: async (x) => ({ state: { ...x, n: x.n + 1 }, next: x.n < 2 ? 'a' : 'b', detail: { n: x.n } }), b: async (x) => ({ state: x, next: 'end', detail: {} }) },
      'a', { n: 0, trace: [] }, () => (t += 1),
    );
    expect(s.trace.map((x) => x.step)).toEqual(['supervisor.a', 'supervisor.a', 'supervisor.a', 'supervisor.b']);
    expect(s.trace[3]!.detail['next']).toBe('end');
  });
  it('refuses to loop forever', async () => {
    await expect(runGraph<{ trace: never[] }, 'a'>({ a: async (x) => ({ state: x, next: 'a', detail: {} }) }, 'a', { trace: [] }, () => 0, 5)).rejects.toThrow(/did not finish/);
  });
});
