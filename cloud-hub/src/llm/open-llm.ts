/**
 * The LLM part of the hub configuration: a narrator when LLM_BASE_URL and
 * LLM_MODEL are set, nothing otherwise (the deterministic path decides alone).
 * With REDIS_URL (scale mode) the limiter is shared by every hub on that Redis.
 */
import type { Logger } from '@argus/shared';
import type { Retriever } from '../retrieval/retriever.js';
import type { SuperviseOptions } from '../supervisor/supervise.js';
import { LlmClient } from './llm-client.js';
import { DEFAULT_LIMITS, type LlmLimiter } from './llm-limiter.js';
import { createNarrator } from './narrator.js';
import { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** The LLM settings of the hub configuration. */
export interface LlmHubConfig {
  llmBaseUrl?: string | undefined;
  llmModel?: string | undefined;
  llmFallbackModel?: string | undefined;
  llmApiKey?: string | undefined;
  llmConcurrency?: number | undefined;
  llmRpm?: number | undefined;
  llmTpm?: number | undefined;
  redisUrl?: string | undefined;
}

/** The hub's LLM part: options for the supervisor and the limiter to close. */
export interface OpenLlm {
  /** `{ narrate }` when an LLM is configured, else `{}`. */
  narration: Pick<SuperviseOptions, 'narrate'>;
  limiter: LlmLimiter | undefined;
  close(): Promise<void>;
}

/** Opens the LLM narration and its limiter (Redis-backed when `redisUrl` is set). */
export function openLlm(cfg: LlmHubConfig, retriever: Retriever, log: Logger): OpenLlm {
  if (!cfg.llmBaseUrl || !cfg.llmModel) return { narration: {}, limiter: undefined, close: async () => undefined };
  const limits = { concurrency: cfg.llmConcurrency ?? DEFAULT_LIMITS.concurrency, rpm: cfg.llmRpm ?? DEFAULT_LIMITS.rpm, tpm: cfg.llmTpm ?? DEFAULT_LIMITS.tpm };
  const limiter: LlmLimiter = cfg.redisUrl ? new RedisRateLimiter({ redis: cfg.redisUrl, limits }) : new RateLimiter(limits);
  const client = new LlmClient({
    baseUrl: cfg.llmBaseUrl, model: cfg.llmModel, limiter,
    ...(cfg.llmFallbackModel ? { fallbackModel: cfg.llmFallbackModel } : {}), ...(cfg.llmApiKey ? { apiKey: cfg.llmApiKey } : {}),
  });
  log.info('LLM narration enabled', { base_url: cfg.llmBaseUrl, model: cfg.llmModel, fallback: cfg.llmFallbackModel ?? null, limiter: cfg.redisUrl ? 'redis (shared by hubs)' : 'in-process', ...limits });
  return { narration: { narrate: createNarrator(client, retriever, log) }, limiter, close: () => limiter.close() };
}

/** `{ narrate }` for the supervisor when an LLM is configured, else `{}` (in-process limiter). */
export function llmNarration(cfg: Omit<LlmHubConfig, 'redisUrl'>, retriever: Retriever, log: Logger): Pick<SuperviseOptions, 'narrate'> {
  return openLlm(cfg, retriever, log).narration;
}
