/**
 * `argus diagnose <recording.mcap> [--json]`: the whole diagnosis path
 * offline in one process — native parse → per-topic CSV chunks → gather →
 * supervisor with hybrid retrieval against the shipped knowledge base (an
 * in-process PGlite with pgvector). With --json the last stdout line is the report.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, type DiagnosisReport, type Logger, type VehicleInfo } from '@argus/shared';
import {
  buildReport, createGatherer, embeddingConfig, loadHubConfig, openDatabase, openKnowledge, watchesFromKb,
  type KnowledgeService, type SupervisorPolicy,
} from '@argus/cloud-hub';
import { parseRecording } from '@argus/native';
import { vehicleInfoFromMetadata } from '@argus/edge-agent';
import { formatReport } from './format-report.js';

type Kb = Awaited<ReturnType<KnowledgeService['faults']['load']>>;
type Features = ReturnType<ReturnType<typeof createGatherer>['finish']>;

/** Parses and gathers one recording: the vehicle and its drive features. */
export async function gatherRecording(file: string, kb: Kb): Promise<{ vehicle: VehicleInfo; features: Features }> {
  const g = createGatherer({ watches: watchesFromKb(kb) });
  const gen = parseRecording(file);
  let next = await gen.next();
  while (!next.done) {
    g.addChunk(next.value.topic, next.value.csv);
    next = await gen.next();
  }
  return { vehicle: vehicleInfoFromMetadata(next.value.vehicle, file), features: g.finish() };
}

/** An offline diagnosis context: a temporary in-process database with the shipped KB, embedded. */
export interface OfflineKnowledge {
  knowledge: KnowledgeService;
  kb: Kb;
  close(): Promise<void>;
}

/** Opens the shipped knowledge base in a temporary embedded database. */
export async function openOfflineKnowledge(env: Record<string, string | undefined>, log: Logger): Promise<OfflineKnowledge> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-diagnose-'));
  const db = await openDatabase({ dataDir: dir, log });
  try {
    const knowledge = await openKnowledge(db.pool, embeddingConfig(loadHubConfig(env, { dataDir: dir })), log, { wait: true });
    const kb = await knowledge.faults.load();
    return { knowledge, kb, async close() { await db.close(); await rm(dir, { recursive: true, force: true }); } };
  } catch (err) {
    await db.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Diagnoses one recording with an open offline knowledge base. */
export async function diagnoseRecording(file: string, k: OfflineKnowledge, policy: Partial<SupervisorPolicy> = {}): Promise<DiagnosisReport> {
  const { vehicle, features } = await gatherRecording(file, k.kb);
  const id = '00000000-0000-4000-8000-000000000000';
  return buildReport(id, vehicle, features, k.kb, { now: () => performance.now(), iso: new Date().toISOString() }, { retriever: k.knowledge.retriever, policy });
}

/** Entry of `argus diagnose`; returns the exit code. */
export async function runDiagnoseCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (values.help || !file) {
    process.stdout.write('usage: argus diagnose <recording.mcap> [--json]\n');
    return values.help ? 0 : 2;
  }
  const log = createLogger(env['LOG_LEVEL'] === 'debug' ? 'debug' : 'warn', {}, (l) => process.stderr.write(l));
  let k: OfflineKnowledge | undefined;
  try {
    k = await openOfflineKnowledge(env, log);
    const report = await diagnoseRecording(path.resolve(file), k);
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${formatReport(report)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`argus diagnose: ${file}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await k?.close();
  }
}
