/**
 * The healthy baseline shipped with the demo knowledge base: how the
 * reference vehicle's topics and fields behave on healthy drives, per
 * platform. Learned by `npm run kb:baseline` (cli/src/learn-baseline.ts);
 * the supervisor flags what no healthy drive showed.
 */
import raw from './demo-baseline.json' with { type: 'json' };
import { HealthyBaseline } from '../diagnosis/healthy-baseline.js';

let cached: HealthyBaseline | undefined;

/** The validated shipped baseline (decoded once; treat as read-only). */
export function demoBaseline(): HealthyBaseline {
  cached ??= HealthyBaseline.parse(raw);
  return cached;
}
