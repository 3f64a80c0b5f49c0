/**
 * A chat client for any OpenAI-compatible endpoint (the `openai` package):
 * streaming responses assembled into one message (content and tool calls),
 * per-call timeout, retries with exponential backoff on 429/5xx/timeouts,
 * a fallback model once the primary keeps failing, and the rate limiter.
 */
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { DEFAULT_LIMITS, type LlmLimiter, type RateLimits } from './llm-limiter.js';
import { RateLimiter } from './rate-limiter.js';

/** LLM settings. */
export interface LlmConfig {
  baseUrl: string;
  model: string;
  fallbackModel?: string;
  apiKey?: string;
  /** Per call, ms (default 30 000). */
  timeoutMs?: number;
  /** Retries per model (default 2). */
  maxRetries?: number;
  /** First backoff, ms (default 500; doubles). */
  backoffMs?: number;
  limits?: Partial<RateLimits>;
  /** A limiter to use instead of an in-process one built from `limits` (scale mode: `RedisRateLimiter`). */
  limiter?: LlmLimiter;
}

/** One assembled assistant turn. */
export interface ChatTurn {
  content: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  tokens: number;
  model: string;
}

/** Error of the LLM path with a stable code. */
export class LlmError extends Error {
  constructor(readonly code: 'LLM_UNAVAILABLE' | 'LLM_BAD_OUTPUT' | 'LLM_BUDGET', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmError';
  }
}

/** 429, 5xx, timeouts and broken connections are worth another try; other 4xx are not. */
const retryable = (err: unknown): boolean => {
  if (err instanceof OpenAI.APIConnectionError) return true; // includes APIConnectionTimeoutError
  const status = (err as { status?: number }).status;
  return status === 429 || (status !== undefined && status >= 500) || (status === undefined && !(err instanceof OpenAI.APIError));
};

/** Estimated tokens of a text (≈ 4 characters per token). */
export const estimateTokens = (s: string): number => Math.ceil(s.length / 4);

/** Chat client with limits, retries and fallback. */
export class LlmClient {
  private readonly client: OpenAI;
  readonly limiter: LlmLimiter;
  constructor(private readonly cfg: LlmConfig, private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {
    // The SDK's own retries are off: this class retries, so it can switch to the fallback model.
    this.client = new OpenAI({ baseURL: cfg.baseUrl, apiKey: cfg.apiKey ?? 'none', maxRetries: 0, timeout: cfg.timeoutMs ?? 30_000 });
    this.limiter = cfg.limiter ?? new RateLimiter({ ...DEFAULT_LIMITS, ...cfg.limits });
  }

  /** One assistant turn for `messages`, trying the primary then the fallback model. */
  async chat(messages: ChatCompletionMessageParam[], tools: ChatCompletionTool[], maxTokens: number): Promise<ChatTurn> {
    const models = [this.cfg.model, ...(this.cfg.fallbackModel ? [this.cfg.fallbackModel] : [])];
    let last: unknown;
    for (const model of models) {
      for (let attempt = 0; attempt <= (this.cfg.maxRetries ?? 2); attempt++) {
        if (attempt > 0) await this.sleep((this.cfg.backoffMs ?? 500) * 2 ** (attempt - 1));
        const estimate = estimateTokens(JSON.stringify(messages)) + maxTokens;
        const slot = await this.limiter.acquire(estimate);
        let used = estimate;
        try {
          const turn = await this.once(model, messages, tools, maxTokens);
          used = turn.tokens;
          return turn;
        } catch (err) {
          last = err;
          if (err instanceof LlmError || !retryable(err)) break;
        } finally {
          slot.release(used);
        }
      }
    }
    throw new LlmError('LLM_UNAVAILABLE', `LLM at ${this.cfg.baseUrl} failed for ${models.join(', ')}: ${(last as Error)?.message ?? 'unknown'}`, { cause: last });
  }

  private async once(model: string, messages: ChatCompletionMessageParam[], tools: ChatCompletionTool[], maxTokens: number): Promise<ChatTurn> {
    const stream = await this.client.chat.completions.create({
      model, messages, max_tokens: maxTokens, stream: true, stream_options: { include_usage: true }, ...(tools.length ? { tools } : {}),
    });
    let content = '';
    let tokens = 0;
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for await (const chunk of stream) {
      if (chunk.usage) tokens = chunk.usage.total_tokens;
      const delta = chunk.choices?.[0]?.delta;
      if (!delta) continue;
      if (typeof delta.content === 'string') content += delta.content;
      for (const tc of delta.tool_calls ?? []) {
        const c = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) c.id = tc.id;
        if (tc.function?.name) c.name += tc.function.name;
        if (tc.function?.arguments) c.arguments += tc.function.arguments;
        calls.set(tc.index, c);
      }
    }
    if (tokens === 0) tokens = estimateTokens(JSON.stringify(messages)) + estimateTokens(content);
    return { content, toolCalls: [...calls.values()], tokens, model };
  }
}
