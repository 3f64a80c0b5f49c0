/** Embeddings: the contract, the transformers.js model and the offline hashing fallback. */
export { type Embedder, EmbeddingError, normalise, cosine } from './embedder.js';
export { HashingEmbedder, HASHING_DIMS } from './hashing-embedder.js';
export { TransformersEmbedder, type TransformersEmbedderOptions } from './transformers-embedder.js';
export { loadEmbedder, type EmbeddingConfig } from './load-embedder.js';
