import { describe, expect, it } from 'vitest';
import { loadHubConfig } from './config.js';

describe('hub configuration', () => {
  it('reads settings from the environment, with defaults', () => {
    const cfg = loadHubConfig({ HUB_HTTP_PORT: '9090', LLM_RPM: '30', LLM_TPM: '20000', LLM_CONCURRENCY: '4' });
    expect(cfg.httpPort).toBe(9090);
    expect(cfg.mqttPort).toBe(1883);
    expect([cfg.llmConcurrency, cfg.llmRpm, cfg.llmTpm]).toEqual([4, 30, 20000]);
    expect(loadHubConfig({}).llmRpm).toBe(60);
  });

  it('lists every bad setting by its variable name at once', () => {
    let message = '';
    try {
      loadHubConfig({ HUB_HTTP_PORT: '99999', DATABASE_URL: 'not a url', LLM_RPM: '0', LOG_LEVEL: 'loud' });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['HUB_HTTP_PORT', 'DATABASE_URL', 'LLM_RPM', 'LOG_LEVEL']) expect(message).toContain(name);
  });
});
