/**
 * A tiny explicit graph runner: nodes are async functions from state to
 * (state, next node); every step is recorded into the trace with its
 * timing and a summary of what it read and wrote.
 */
import type { TraceStepValue } from '../diagnosis/diagnose-rules.js';

/** What a node returns. */
export interface NodeResult<S, N extends string> {
  state: S;
  next: N | 'end';
  /** Inputs/outputs worth keeping in the trace. */
  detail: Record<string, unknown>;
}

/** A node of the graph. */
export type GraphNode<S, N extends string> = (s: S) => Promise<NodeResult<S, N>>;

/** Error with a stable code when the graph misbehaves (unknown node, too many steps). */
export class GraphError extends Error {
  readonly code = 'SUPERVISOR_GRAPH';
}

/**
 * Runs the graph from `start` until a node answers `end`.
 * @param maxSteps guard against routing loops
 */
export async function runGraph<S extends { trace: TraceStepValue[] }, N extends string>(
  nodes: Record<N, GraphNode<S, N>>, start: N, state: S, now: () => number, maxSteps = 64,
): Promise<S> {
  let cur: N | 'end' = start;
  let s = state;
  for (let i = 0; cur !== 'end'; i++) {
    if (i >= maxSteps) throw new GraphError(`supervisor graph did not finish within ${maxSteps} steps (at ${cur})`);
    const node: GraphNode<S, N> | undefined = nodes[cur];
    if (!node) throw new GraphError(`supervisor graph has no node ${cur}`);
    const t = now();
    const r = await node(s);
    s = r.state;
    s.trace.push({ step: `supervisor.${cur}`, ms: Math.round((now() - t) * 100) / 100, detail: { ...r.detail, next: r.next } });
    cur = r.next;
  }
  return s;
}
