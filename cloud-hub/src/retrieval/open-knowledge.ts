/**
 * Opens the knowledge service for a hub or a CLI run: loads the configured
 * embedder (or the hashing fallback), seeds the demo bundle into an empty
 * knowledge base, and starts embedding in the background.
 */
import type pg from 'pg';
import type { Logger } from '@argus/shared';
import { loadEmbedder, type EmbeddingConfig } from '../embedding/load-embedder.js';
import { KnowledgeService } from './knowledge-service.js';

/** Opens and seeds the knowledge service; `wait` awaits the first embedding run. */
export async function openKnowledge(pool: pg.Pool, cfg: EmbeddingConfig, log: Logger, opts: { wait?: boolean } = {}): Promise<KnowledgeService> {
  const embedder = await loadEmbedder(cfg, log);
  const k = new KnowledgeService(pool, embedder, log);
  await k.ensureSeeded(opts);
  return k;
}

/** The embedding part of the hub configuration. */
export function embeddingConfig(cfg: { embeddingModel?: string | undefined; embeddingAllowRemote?: boolean; embeddingCacheDir?: string | undefined }): EmbeddingConfig {
  return {
    ...(cfg.embeddingModel ? { model: cfg.embeddingModel } : {}),
    allowRemote: cfg.embeddingAllowRemote === true,
    ...(cfg.embeddingCacheDir ? { cacheDir: cfg.embeddingCacheDir } : {}),
  };
}
