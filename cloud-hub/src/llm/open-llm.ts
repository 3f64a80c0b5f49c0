/**
 * The LLM part of the hub configuration: a narrator when LLM_BASE_URL and
 * LLM_MODEL are set, nothing otherwise (the deterministic path decides alone).
 */
import type { Logger } from '@argus/shared';
import type { Retriever } from '../retrieval/retriever.js';
import type { SuperviseOptions } from '../supervisor/supervise.js';
import { LlmClient } from './llm-client.js';
import { createNarrator } from './narrator.js';

/** `{ narrate }` for the supervisor when an LLM is configured, else `{}`. */
export function llmNarration(cfg: { llmBaseUrl?: string | undefined; llmModel?: string | undefined; llmFallbackModel?: string | undefined; llmApiKey?: string | undefined }, retriever: Retriever, log: Logger): Pick<SuperviseOptions, 'narrate'> {
  if (!cfg.llmBaseUrl || !cfg.llmModel) return {};
  const client = new LlmClient({
    baseUrl: cfg.llmBaseUrl, model: cfg.llmModel,
    ...(cfg.llmFallbackModel ? { fallbackModel: cfg.llmFallbackModel } : {}), ...(cfg.llmApiKey ? { apiKey: cfg.llmApiKey } : {}),
  });
  log.info('LLM narration enabled', { base_url: cfg.llmBaseUrl, model: cfg.llmModel, fallback: cfg.llmFallbackModel ?? null });
  return { narrate: createNarrator(client, retriever, log) };
}
