/**
 * Picks the embedder: the configured transformers.js model when it loads,
 * otherwise the deterministic hashing fallback — with a log line that says so.
 */
import type { Logger } from '@argus/shared';
import type { Embedder } from './embedder.js';
import { HashingEmbedder } from './hashing-embedder.js';
import { TransformersEmbedder } from './transformers-embedder.js';

/** Embedding settings (from the config module). */
export interface EmbeddingConfig {
  /** Model name or local folder; unset means the hashing embedder. */
  model?: string;
  allowRemote?: boolean;
  cacheDir?: string;
}

/** Loads the configured embedder or falls back to {@link HashingEmbedder}. */
export async function loadEmbedder(cfg: EmbeddingConfig, log: Pick<Logger, 'info' | 'warn'>): Promise<Embedder> {
  if (cfg.model) {
    try {
      const e = await TransformersEmbedder.load({ model: cfg.model, ...(cfg.allowRemote !== undefined ? { allowRemote: cfg.allowRemote } : {}), ...(cfg.cacheDir ? { cacheDir: cfg.cacheDir } : {}) });
      log.info('embedding model loaded', { model: e.model, dims: e.dims });
      return e;
    } catch (err) {
      log.warn('embedding model unavailable; using the offline hashing embedder (lexical similarity only)', { model: cfg.model, err: (err as Error).message });
    }
  } else {
    log.info('no embedding model configured; using the offline hashing embedder (lexical similarity only)', {});
  }
  return new HashingEmbedder();
}
