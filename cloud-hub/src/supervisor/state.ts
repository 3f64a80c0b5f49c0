/**
 * The typed state passed between the supervisor's nodes. Each node reads it
 * and returns a new one plus the name of the next node.
 */
import type { Evidence, Finding, VehicleInfo } from '@argus/shared';
import type { RuleDiagnosis, TraceStepValue } from '../diagnosis/diagnose-rules.js';
import type { HealthyBaseline } from '../diagnosis/healthy-baseline.js';
import type { DriveFeatures } from '../gather/features.js';
import type { KbCause, KnowledgeBase } from '../kb/knowledge-base.js';
import type { RetrievalHit, RetrievalMode } from '../retrieval/retriever.js';

/** Names of the graph's nodes. */
export type NodeName = 'analyst' | 'supervisor' | 'retrieve' | 'diagnostician' | 'narrator' | 'writer';

/** How the supervisor handles one finding. */
export type Route = 'fast' | 'retrieve' | 'unknown';

/** One finding under work: the analyst's view plus what retrieval found. */
export interface WorkItem {
  /** The rule engine's finding (code null for an anomaly no entry describes). */
  finding: Finding;
  /** Causes of the finding's fault that fit this vehicle (platform + firmware). */
  candidates: KbCause[];
  route?: Route;
  /** Retrieval rounds done for this item. */
  rounds: number;
  /** Queries sent, newest last. */
  queries: string[];
  hits: RetrievalHit[];
  /** The decided cause (null: unknown), once decided. */
  cause?: KbCause | null;
  why?: string;
}

/** Diagnosis settings the supervisor obeys. */
export interface SupervisorPolicy {
  /** Retrieval calls allowed per diagnosis. */
  retrievalBudget: number;
  /** Retrieval rounds per finding (the second one widens the query). */
  maxRounds: number;
  /** Take the fast path for a known code with one fitting cause (false in the vector-only baseline). */
  fastPath: boolean;
  /** Retrieval ranking: 'hybrid' (vector + full text, RRF) or one signal alone (baselines). */
  retrievalMode: RetrievalMode;
  /** Hard filters in retrieval (default true; false only in the vector-only baseline). */
  filters: boolean;
}

/** The default policy. */
export const DEFAULT_POLICY: SupervisorPolicy = { retrievalBudget: 8, maxRounds: 2, fastPath: true, retrievalMode: 'hybrid', filters: true };

/** Narrative written by an LLM, when one took part. */
export interface Narrative {
  text: string;
  model: string;
  tokens_used: number;
}

/** State of one diagnosis. */
export interface SupervisorState {
  vehicle: VehicleInfo;
  features: DriveFeatures;
  kb: KnowledgeBase;
  /** Healthy baselines the log analyst compares the drive with (none: only the baseline-free checks). */
  baseline?: HealthyBaseline;
  policy: SupervisorPolicy;
  rules?: RuleDiagnosis;
  items: WorkItem[];
  retrievalsUsed: number;
  findings: Finding[];
  status?: 'healthy' | 'fault' | 'unknown';
  summary?: string;
  narrative?: Narrative;
  /** Why the LLM's output was not used (when one was configured). */
  llmNote?: string;
  /** Tokens the LLM spent without producing the narrative (stopped by the budget, unusable output). */
  llmUsage?: { model: string; tokens_used: number };
  /** Extra evidence gathered for the whole drive. */
  notes: Evidence[];
  trace: TraceStepValue[];
}
