/** Gather: per-topic CSV chunks of one drive in, bounded DriveFeatures out. */
export { createGatherer, type Gatherer, type GathererOptions } from './gatherer.js';
export * from './features.js';
export { watchesFromKb, watchForRule, describePredicate, type WatchSpec, type Predicate, type Condition } from './watch-spec.js';
export { forEachCsvRow, parseCell, type Cell } from './csv.js';
