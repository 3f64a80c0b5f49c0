export * from './config.js';
export * from './hub.js';
export { buildReport } from './pipeline/diagnose-stage.js';
export { createGatherer } from './gather/gatherer.js';
export { watchesFromKb } from './gather/watch-spec.js';
export { demoKnowledgeBase } from './kb/demo-kb.js';
