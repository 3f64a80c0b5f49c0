/** Hybrid retrieval over the knowledge base, and the knowledge service that wires it. */
export { rrf, RRF_K, type RankedList, type Fused } from './rrf.js';
export { causeFits, allowedCauseIds, orTsQuery, type CauseScope, type VehicleScope } from './filters.js';
export { DEFAULT_TUNING, type Retriever, type RetrievalQuery, type RetrievalHit, type RetrievalMode, type RetrievalTuning, type PassageRow } from './retriever.js';
export { PgHybridRetriever } from './pg-hybrid-retriever.js';
export { KnowledgeService, type ImportSummary } from './knowledge-service.js';
export { openKnowledge, embeddingConfig } from './open-knowledge.js';
