/** Knowledge base: schemas, validation, version ranges, the demo KB. */
export * from './knowledge-base.js';
export { validateKb, loadKb, KbError, type KbIssue, type KbValidation } from './load-kb.js';
export { parseVersion, compareVersions, parseRange, isValidRange, versionInRange, type Version, type VersionRange } from './version-range.js';
export { demoKnowledgeBase } from './demo-kb.js';
export { demoBaseline } from './demo-baseline.js';
