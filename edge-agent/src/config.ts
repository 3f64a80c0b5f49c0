import { z } from 'zod';
import { VIN_PATTERN } from '@argus/shared';

/** Every setting of the edge agent, validated at once (see docs/edge-agent.md). */
export const AgentConfig = z.object({
  /** This vehicle's VIN; when unset it is taken from each recording's `vehicle` metadata. */
  vin: z.string().regex(VIN_PATTERN).optional(),
  /** Per-vehicle token (password on MQTT, Bearer on HTTP). */
  token: z.string().min(1),
  mqttUrl: z.string().url().default('mqtt://127.0.0.1:1883'),
  httpUrl: z.string().url().default('http://127.0.0.1:8080'),
  /** Where the outbox, journal and received reports live. */
  stateDir: z.string().min(1).default('.argus/agent'),
  /** Largest CSV chunk before compression, bytes. */
  chunkBytes: z.coerce.number().int().min(4096).max(8 * 1024 * 1024).default(1024 * 1024),
  /** Topics to keep (empty = all) and to drop. */
  topics: z.array(z.string()).default([]),
  excludeTopics: z.array(z.string()).default([]),
  /** Chunks in flight (published, not yet acknowledged by the hub). */
  inflight: z.coerce.number().int().min(1).max(1000).default(16),
  /** How long to wait for the hub's acknowledgement of a chunk before re-sending it, ms. */
  ackTimeoutMs: z.coerce.number().int().positive().default(30_000),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
export type AgentConfigInput = z.input<typeof AgentConfig>;

/** Validates a config object; throws one error listing every bad key. */
export function parseAgentConfig(input: AgentConfigInput): AgentConfig {
  const r = AgentConfig.safeParse(input);
  if (!r.success) {
    throw new Error(`invalid agent configuration:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return r.data;
}
