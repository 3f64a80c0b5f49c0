/**
 * The demo knowledge base shipped with Argus: the 20 faults of the reference
 * fleet's catalogue, in our own words, with machine-readable signatures.
 */
import raw from './demo-kb.json' with { type: 'json' };
import type { KnowledgeBase } from './knowledge-base.js';
import { loadKb } from './load-kb.js';

let cached: KnowledgeBase | undefined;

/** The validated demo KB (decoded once; treat as read-only). */
export function demoKnowledgeBase(): KnowledgeBase {
  cached ??= loadKb(raw, 'demo-kb.json');
  return cached;
}
