/** Optional LLM narration over any OpenAI-compatible endpoint. */
export { LlmClient, LlmError, estimateTokens, type LlmConfig, type ChatTurn } from './llm-client.js';
export { DEFAULT_LIMITS, type LlmLimiter, type RateLimits, type Slot } from './llm-limiter.js';
export { RateLimiter } from './rate-limiter.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { createNarrator, parseAnswer, type NarratorOptions } from './narrator.js';
export { llmNarration, openLlm, type LlmHubConfig, type OpenLlm } from './open-llm.js';
