import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, DiagnosisReport } from '@argus/shared';
import { buildReport } from '@argus/cloud-hub';
import { randomVin, Rng, writeDrive, type Platform, type UnknownAnomalyRequest } from '@argus/sim';
import type { KnowledgeBase } from '../../cloud-hub/src/kb/knowledge-base.js';
import { estimateTokens, LlmClient } from '../../cloud-hub/src/llm/llm-client.js';
import { createNarrator, type NarratorOptions } from '../../cloud-hub/src/llm/narrator.js';
import { startLlmStub, type StubReply } from '../../cloud-hub/src/llm/testing/llm-stub.js';
import { gatherRecording, openOfflineKnowledge, type OfflineKnowledge } from '../../cli/src/diagnose-command.js';

type Drive = Awaited<ReturnType<typeof gatherRecording>>;

// The optional LLM step against a local OpenAI-compatible stub: streaming,
// tool calls into retrieval, 429, timeouts, malformed output, fallback model,
// the token budget, prompt pruning, and choosing (or being refused) a cause.
describe('LLM narrator', () => {
  let dir: string;
  let k: OfflineKnowledge;
  let drive: Drive;
  /** Two catalogue faults and an ERROR burst no entry names: three findings to prune. */
  let busy: Drive;
  /** 0xD002 on J7 (eps 6.1.2), diagnosed against a KB where two causes fit. */
  let steering: Drive;
  let twoCauses: KnowledgeBase;
  const log = createLogger('silent', {}, () => undefined);
  const answer = JSON.stringify({ narrative: 'The front lidar went silent repeatedly; firmware 3.1.4 has the PTP counter wrap. Update to 3.2.1.', causes: [{ code: '0x8004', cause_id: '0x8004-a' }] });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-llm-'));
    k = await openOfflineKnowledge({}, log);
    const gather = async (name: string, seed: number, platform: Platform, faults: { code: string; startS?: number }[], unknownAnomaly?: UnknownAnomalyRequest) => {
      const file = path.join(dir, `${name}.mcap`);
      await writeDrive({ out: file, seed, platform, vin: randomVin(Rng.derive(seed, 'vin'), platform), faults, durationS: 180, ...(unknownAnomaly ? { unknownAnomaly } : {}) });
      return gatherRecording(file, k.kb);
    };
    drive = await gather('d', 21, 'K1', [{ code: '0x8004' }]);
    busy = await gather('busy', 22, 'K1', [{ code: '0x8004', startS: 20 }, { code: '0xA002', startS: 100 }], { kind: 'error_burst', variant: 1 });
    steering = await gather('steering', 23, 'J7', [{ code: '0xD002' }]);
    // A second cause of 0xD002 that fits J7 with eps 6.1.2 beside 0xD002-b.
    twoCauses = { ...k.kb, faults: k.kb.faults.map((f) => (f.code !== '0xD002' ? f : {
      ...f, causes: [...f.causes, { id: '0xD002-x', platforms: ['J7', 'K1', 'T2'], firmware_component: 'eps', affected_versions: '>=6.0.0', root_cause: 'Corroded steering torque sensor connector adds noise to the angle feedback.', resolution: 'Clean and reseal the connector; replace it if pins are pitted.', recommended_firmware: null }],
    })) };
  }, 300_000);
  afterAll(async () => {
    await k?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function run(script: StubReply[], o: { byModel?: Record<string, StubReply>; timeoutMs?: number; fallback?: string; narrator?: NarratorOptions; drive?: Drive; kb?: KnowledgeBase } = {}) {
    const stub = await startLlmStub(script, o.byModel);
    try {
      const client = new LlmClient({ baseUrl: stub.baseUrl, model: 'primary', ...(o.fallback ? { fallbackModel: o.fallback } : {}), timeoutMs: o.timeoutMs ?? 10_000, maxRetries: 2, backoffMs: 10 }, async () => undefined);
      const narrate = createNarrator(client, k.knowledge.retriever, log, { tokenBudget: 5000, ...o.narrator });
      const d = o.drive ?? drive;
      const r = await buildReport('00000000-0000-4000-8000-000000000000', d.vehicle, d.features, o.kb ?? k.kb, { now: () => 0, iso: '2026-01-01T00:00:00.000Z' }, { retriever: k.knowledge.retriever, narrate });
      return { r: DiagnosisReport.parse(r), requests: stub.requests };
    } finally {
      await stub.close();
    }
  }
  const userPrompt = (requests: { messages: { role: string; content?: string | null }[] }[]) => requests[0]!.messages.find((m) => m.role === 'user')!.content!;

  it('streams a tool call into retrieval, then the narrative; model and tokens are reported', async () => {
    const { r, requests } = await run([
      { kind: 'tool', name: 'search_knowledge', args: JSON.stringify({ text: 'front lidar packet timeout', codes: ['0x8004'] }), tokens: 300 },
      { kind: 'answer', content: answer, tokens: 400 },
    ]);
    expect(r.model).toBe('primary');
    expect(r.tokens_used).toBe(700);
    expect(r.summary).toContain('PTP counter wrap');
    // The LLM named a cause that does not fit this K1: the guard kept the deterministic one.
    expect(r.findings[0]).toMatchObject({ code: '0x8004', cause_id: '0x8004-b' });
    expect(r.findings[0]!.evidence.some((e) => e.text.startsWith('LLM proposed cause 0x8004-a; refused: cause 0x8004-a rejected'))).toBe(true);
    const tool = requests[1]!.messages.find((m) => m.role === 'tool')!;
    expect(tool.content).toContain('cause:0x8004-b');
    expect(tool.content).not.toContain('cause:0x8004-a');
    expect(requests.every((q) => q.stream === true)).toBe(true);
    expect(r.trace.some((t) => t.step === 'supervisor.narrator')).toBe(true);
  });

  it('retries after 429 with backoff', async () => {
    const { r, requests } = await run([{ kind: 'status', status: 429 }, { kind: 'status', status: 429 }, { kind: 'answer', content: answer }]);
    expect(requests).toHaveLength(3);
    expect(r.model).toBe('primary');
  });

  it('times out on a hanging primary and answers with the fallback model', async () => {
    const { r, requests } = await run([], { byModel: { primary: { kind: 'hang' }, backup: { kind: 'answer', content: answer, tokens: 50 } }, timeoutMs: 300, fallback: 'backup' });
    expect(requests.filter((q) => q.model === 'primary')).toHaveLength(3);
    expect(r.model).toBe('backup');
    expect(r.tokens_used).toBe(50);
  });

  it('malformed output or a dead endpoint: the deterministic diagnosis stands and the report says so', async () => {
    const malformed = await run([{ kind: 'answer', content: 'I think it is the lidar.', tokens: 120 }]);
    const dead = await run([{ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 }]);
    for (const { r } of [malformed, dead]) {
      expect(r.summary).toMatch(/deterministic diagnostician decided alone/);
      expect(r.findings[0]).toMatchObject({ code: '0x8004', cause_id: '0x8004-b' });
    }
    // Tokens spent on an unusable answer are still reported; a dead endpoint spent none.
    expect(malformed.r).toMatchObject({ model: 'primary', tokens_used: 120 });
    expect(dead.r.model).toBeUndefined();
    expect(dead.r.tokens_used).toBeUndefined();
  });

  it('stops when the per-diagnosis token budget is spent; the deterministic diagnosis stands', async () => {
    const search = { kind: 'tool', name: 'search_knowledge', args: JSON.stringify({ text: 'front lidar packet timeout' }) } as const;
    // The second turn would need the prompt so far (with the tool's answer) plus 600 for the answer: more than the 800 left.
    const { r, requests } = await run([{ ...search, tokens: 4200 }, { kind: 'answer', content: answer }], { narrator: { tokenBudget: 5000 } });
    expect(requests).toHaveLength(1);
    expect(r).toMatchObject({ model: 'primary', tokens_used: 4200 });
    expect(r.summary).toMatch(/LLM stopped before answering: token budget of 5000 spent: 4200 used, the next turn needs about \d+; the deterministic diagnosis stands/);
    expect(r.summary).not.toContain('PTP counter wrap');
    expect(r.findings[0]).toMatchObject({ code: '0x8004', cause_id: '0x8004-b' });
    expect(r.trace.find((t) => t.step === 'supervisor.narrator')?.detail['note']).toMatch(/LLM stopped/);
    // A turn that alone overspends ends the LLM's part too.
    const over = await run([{ ...search, tokens: 6000 }, { kind: 'answer', content: answer }], { narrator: { tokenBudget: 5000 } });
    expect(over.requests).toHaveLength(1);
    expect(over.r.tokens_used).toBe(6000);
    expect(over.r.summary).toMatch(/LLM stopped before answering/);
    // A budget too small for even the first turn sends nothing.
    const none = await run([{ kind: 'answer', content: answer }], { narrator: { tokenBudget: 800 } });
    expect(none.requests).toHaveLength(0);
    expect(none.r.tokens_used).toBeUndefined();
    expect(none.r.summary).toMatch(/LLM stopped before answering: token budget of 800 spent: 0 used/);
  });

  it('prunes the prompt to its token budget and keeps the top codes', async () => {
    const full = await run([{ kind: 'answer', content: answer }], { drive: busy, narrator: { promptTokens: 4000 } });
    const codes = full.r.findings.map((f) => f.code);
    expect(codes.slice(0, 2).sort()).toEqual(['0x8004', '0xA002']);
    expect(codes).toContain(null); // the ERROR burst no entry names
    const big = userPrompt(full.requests);
    for (const promptTokens of [600, 250]) {
      const { requests } = await run([{ kind: 'answer', content: answer }], { drive: busy, narrator: { promptTokens } });
      const text = userPrompt(requests);
      expect(estimateTokens(text)).toBeLessThanOrEqual(promptTokens);
      expect(text.length).toBeLessThan(big.length);
      const p = JSON.parse(text) as { top_codes: string[]; vehicle: { platform: string } };
      expect(p.vehicle.platform).toBe('K1');
      expect(p.top_codes.map((c) => (c.startsWith('unknown: ') ? null : c))).toEqual(codes);
    }
    // Unpruned, the summarised features and the evidence are there.
    const p = JSON.parse(big) as { findings: { evidence?: string[] }[]; drive: string[] };
    expect(p.findings[0]!.evidence!.length).toBeGreaterThan(0);
    expect(p.drive.some((l) => l.includes('lidar_front'))).toBe(true);
    expect(p.drive.some((l) => l.includes('[bms_monitor] contactor feedback mismatch'))).toBe(true);
  });

  it('chooses among two causes that fit, and is refused a cause that is not in the KB or does not fit', async () => {
    const pick = (cause_id: string, code = '0xD002') => JSON.stringify({ narrative: `Steering tracking error; cause ${cause_id}.`, causes: [{ code, cause_id }] });
    const base = await run([{ kind: 'answer', content: pick('0xD002-b') }], { drive: steering, kb: twoCauses });
    expect(base.r.findings[0]).toMatchObject({ code: '0xD002', cause_id: '0xD002-b' });
    const offered = JSON.parse(userPrompt(base.requests)) as { findings: { code: string; candidates: { id: string }[] }[] };
    expect(offered.findings[0]!.candidates.map((c) => c.id)).toEqual(['0xD002-b', '0xD002-x']);

    const chosen = await run([{ kind: 'answer', content: pick('0xD002-x') }], { drive: steering, kb: twoCauses });
    expect(chosen.r.findings[0]).toMatchObject({ code: '0xD002', cause_id: '0xD002-x', root_cause: expect.stringMatching(/torque sensor connector/), recommended_firmware: null });
    expect(chosen.r.findings[0]!.evidence.some((e) => e.ref === '0xD002-x' && e.text.startsWith('LLM chose cause 0xD002-x among the fitting candidates 0xD002-b, 0xD002-x'))).toBe(true);

    for (const [cause, why] of [['0xD002-a', /rejected: eps 6\.1\.2 not in <6\.1\.0/], ['0xD002-zz', /not a cause of 0xD002 in the knowledge base/], ['0x8004-a', /not a cause of 0xD002/]] as const) {
      const { r } = await run([{ kind: 'answer', content: pick(cause) }], { drive: steering, kb: twoCauses });
      expect(r.findings[0], cause).toMatchObject({ code: '0xD002', cause_id: '0xD002-b' });
      const note = r.findings[0]!.evidence.find((e) => e.text.startsWith(`LLM proposed cause ${cause}; refused`));
      expect(note?.text, cause).toMatch(why);
      expect(r.model).toBe('primary'); // the narrative is used; only the cause was refused
    }
  });
});
