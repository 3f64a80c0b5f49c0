import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, DiagnosisReport } from '@argus/shared';
import { buildReport } from '@argus/cloud-hub';
import { randomVin, Rng, writeDrive } from '@argus/sim';
import { LlmClient } from '../../cloud-hub/src/llm/llm-client.js';
import { createNarrator } from '../../cloud-hub/src/llm/narrator.js';
import { startLlmStub, type StubReply } from '../../cloud-hub/src/llm/testing/llm-stub.js';
import { gatherRecording, openOfflineKnowledge, type OfflineKnowledge } from '../../cli/src/diagnose-command.js';

// The optional LLM step against a local OpenAI-compatible stub: streaming,
// tool calls into retrieval, 429, timeouts, malformed output, fallback model.
describe('LLM narrator', () => {
  let dir: string;
  let k: OfflineKnowledge;
  let drive: Awaited<ReturnType<typeof gatherRecording>>;
  const log = createLogger('silent', {}, () => undefined);
  const answer = JSON.stringify({ narrative: 'The front lidar went silent repeatedly; firmware 3.1.4 has the PTP counter wrap. Update to 3.2.1.', causes: [{ code: '0x8004', cause_id: '0x8004-a' }] });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-llm-'));
    k = await openOfflineKnowledge({}, log);
    const file = path.join(dir, 'd.mcap');
    await writeDrive({ out: file, seed: 21, platform: 'K1', vin: randomVin(Rng.derive(21, 'vin'), 'K1'), faults: [{ code: '0x8004' }], durationS: 180 });
    drive = await gatherRecording(file, k.kb);
  }, 300_000);
  afterAll(async () => {
    await k?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function run(script: StubReply[], o: { byModel?: Record<string, StubReply>; timeoutMs?: number; fallback?: string } = {}) {
    const stub = await startLlmStub(script, o.byModel);
    try {
      const client = new LlmClient({ baseUrl: stub.baseUrl, model: 'primary', ...(o.fallback ? { fallbackModel: o.fallback } : {}), timeoutMs: o.timeoutMs ?? 10_000, maxRetries: 2, backoffMs: 10 }, async () => undefined);
      const narrate = createNarrator(client, k.knowledge.retriever, log, { tokenBudget: 5000 });
      const r = await buildReport('00000000-0000-4000-8000-000000000000', drive.vehicle, drive.features, k.kb, { now: () => 0, iso: '2026-01-01T00:00:00.000Z' }, { retriever: k.knowledge.retriever, narrate });
      return { r: DiagnosisReport.parse(r), requests: stub.requests };
    } finally {
      await stub.close();
    }
  }

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
    for (const script of [[{ kind: 'answer', content: 'I think it is the lidar.' }], [{ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 }]] as StubReply[][]) {
      const { r } = await run(script);
      expect(r.model).toBeUndefined();
      expect(r.tokens_used).toBeUndefined();
      expect(r.summary).toMatch(/deterministic diagnostician decided alone/);
      expect(r.findings[0]).toMatchObject({ code: '0x8004', cause_id: '0x8004-b' });
    }
  });
});
