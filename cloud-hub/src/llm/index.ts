/** Optional LLM narration over any OpenAI-compatible endpoint. */
export { LlmClient, LlmError, estimateTokens, type LlmConfig, type ChatTurn } from './llm-client.js';
export { RateLimiter, type RateLimits, type Slot } from './rate-limiter.js';
export { createNarrator, parseAnswer, type NarratorOptions } from './narrator.js';
export { llmNarration } from './open-llm.js';
