/**
 * The optional LLM step of the supervisor: writes the narrative and may
 * choose among causes that already fit the vehicle, calling the retriever
 * as a tool. Any failure (endpoint down, 429s, timeouts, malformed output,
 * budget spent) leaves the deterministic findings as they are and notes why.
 * The token budget is checked before every turn: a turn that would not fit
 * (prompt so far + answer allowance) is not sent. Tokens spent are reported
 * whenever the LLM took part, even when its output was not used.
 */
import { z } from 'zod';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Logger } from '@argus/shared';
import type { Retriever } from '../retrieval/retriever.js';
import { guardCause } from '../supervisor/route.js';
import type { SupervisorState } from '../supervisor/state.js';
import { estimateTokens, LlmError, type LlmClient } from './llm-client.js';
import { buildUserPrompt, SYSTEM_PROMPT } from './prompt.js';

/** Limits of one narration. */
export interface NarratorOptions {
  /** Total tokens one diagnosis may spend (default 6000). */
  tokenBudget?: number;
  /** Tool-call rounds (default 3). */
  maxRounds?: number;
  /** Tokens of the prompt after pruning (default 1500). */
  promptTokens?: number;
  /** Tokens per answer (default 600). */
  answerTokens?: number;
}

const Answer = z.object({ narrative: z.string().min(1).max(8000), causes: z.array(z.object({ code: z.string(), cause_id: z.string() })).default([]) });
const SearchArgs = z.object({ text: z.string().min(1).max(2000), codes: z.array(z.string()).optional() });

const TOOLS: ChatCompletionTool[] = [{
  type: 'function',
  function: {
    name: 'search_knowledge',
    description: 'Search the knowledge base (causes, service bulletins, runbooks, confirmed cases) for this vehicle; results already fit its platform and firmware.',
    parameters: { type: 'object', properties: { text: { type: 'string' }, codes: { type: 'array', items: { type: 'string' } } }, required: ['text'] },
  },
}];

/** Extracts the JSON object of an answer (tolerates code fences and prose around it). */
export function parseAnswer(content: string): z.infer<typeof Answer> {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) throw new LlmError('LLM_BAD_OUTPUT', 'answer holds no JSON object');
  let raw: unknown;
  try {
    raw = JSON.parse(content.slice(start, end + 1));
  } catch (err) {
    throw new LlmError('LLM_BAD_OUTPUT', `answer is not valid JSON: ${(err as Error).message}`);
  }
  const r = Answer.safeParse(raw);
  if (!r.success) throw new LlmError('LLM_BAD_OUTPUT', `answer does not match the schema: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}

/** Builds the supervisor's `narrate` step. */
export function createNarrator(client: LlmClient, retriever: Retriever | undefined, log: Pick<Logger, 'warn'>, o: NarratorOptions = {}) {
  const budget = o.tokenBudget ?? 6000;
  return async (s: SupervisorState): Promise<SupervisorState> => {
    if (s.findings.length === 0) return s; // nothing to narrate on a healthy drive
    let used = 0;
    let model = '';
    try {
      const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: buildUserPrompt(s, o.promptTokens ?? 1500) }];
      for (let round = 0; ; round++) {
        const answerTokens = o.answerTokens ?? 600;
        const next = estimateTokens(JSON.stringify(messages)) + answerTokens;
        if (used + next > budget) throw new LlmError('LLM_BUDGET', `token budget of ${budget} spent: ${used} used, the next turn needs about ${next}`);
        const last = round >= (o.maxRounds ?? 3);
        const turn = await client.chat(messages, last ? [] : TOOLS, answerTokens);
        used += turn.tokens;
        model = turn.model;
        if (turn.toolCalls.length === 0 || last) {
          const answer = parseAnswer(turn.content);
          return apply(s, answer, { model, tokens: used });
        }
        messages.push({ role: 'assistant', content: turn.content || null, tool_calls: turn.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) });
        for (const c of turn.toolCalls) messages.push({ role: 'tool', tool_call_id: c.id, content: await runTool(c, s, retriever) });
      }
    } catch (err) {
      const why = err instanceof LlmError ? `${err.code}: ${err.message}` : (err as Error).message;
      log.warn('LLM narration failed; the deterministic diagnosis stands', { err: why, tokens_used: used });
      const usage = used > 0 ? { llmUsage: { model, tokens_used: used } } : {};
      if (err instanceof LlmError && err.code === 'LLM_BUDGET') {
        return { ...s, ...usage, llmNote: `LLM stopped before answering: ${err.message}; the deterministic diagnosis stands` };
      }
      return { ...s, ...usage, llmNote: `LLM not used (${why.slice(0, 200)}); the deterministic diagnostician decided alone` };
    }
  };
}

async function runTool(c: { name: string; arguments: string }, s: SupervisorState, retriever: Retriever | undefined): Promise<string> {
  if (c.name !== 'search_knowledge' || !retriever) return JSON.stringify({ error: `unknown tool ${c.name}` });
  let args: z.infer<typeof SearchArgs>;
  try {
    args = SearchArgs.parse(JSON.parse(c.arguments));
  } catch {
    return JSON.stringify({ error: 'arguments must be {"text": string, "codes"?: string[]}' });
  }
  // The hard filters are always on: the LLM sees only entries that fit this vehicle.
  const hits = await retriever.search({ text: args.text, vehicle: { platform: s.vehicle.platform, firmware: s.vehicle.firmware }, k: 5, ...(args.codes ? { codes: args.codes } : {}) });
  return JSON.stringify(hits.map((h) => ({ id: h.passage.id, title: h.passage.title, text: h.passage.body.slice(0, 400), score: h.score })));
}

/**
 * Applies an answer: the narrative, and the cause choices that name one of
 * the finding's fitting candidates and pass the guard. A choice that does
 * not is refused, and the finding says so.
 */
function apply(s: SupervisorState, a: z.infer<typeof Answer>, meta: { model: string; tokens: number }): SupervisorState {
  const findings = s.findings.map((f) => {
    const pick = a.causes.find((c) => c.code === f.code);
    const it = s.items.find((i) => i.finding.code === f.code);
    if (!pick || !f.code || !it || pick.cause_id === f.cause_id) return f;
    const refuse = (why: string) => ({ ...f, evidence: [...f.evidence, { kind: 'kb' as const, ref: pick.cause_id, text: `LLM proposed cause ${pick.cause_id}; refused: ${why}` }] });
    const g = guardCause(s.kb, f.code, pick.cause_id, s.vehicle);
    if (!g.cause) return refuse(g.why);
    if (!it.candidates.some((c) => c.id === pick.cause_id)) return refuse(`not among the causes that fit this vehicle (${it.candidates.map((c) => c.id).join(', ') || 'none'})`);
    if (it.candidates.length < 2) return refuse(`${f.cause_id ?? 'the deterministic choice'} is the only cause that fits`);
    return { ...f, cause_id: g.cause.id, root_cause: g.cause.root_cause, resolution: g.cause.resolution, recommended_firmware: g.cause.recommended_firmware, evidence: [...f.evidence, { kind: 'kb' as const, ref: g.cause.id, text: `LLM chose cause ${g.cause.id} among the fitting candidates ${it.candidates.map((c) => c.id).join(', ')} (${g.why})` }] };
  });
  return { ...s, findings, narrative: { text: a.narrative, model: meta.model, tokens_used: meta.tokens } };
}
