import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiagnosisReport, FirmwareRecommendation } from '@argus/shared';
import { writeFileAtomic } from './atomic-file.js';

/** Reports and recommendations the vehicle received, kept on its disk. */
export class DownlinkStore {
  constructor(private readonly stateDir: string) {}

  private dir(kind: 'reports' | 'recommendations'): string {
    return path.join(this.stateDir, kind);
  }

  async putReport(r: DiagnosisReport): Promise<void> {
    await writeFileAtomic(path.join(this.dir('reports'), `${r.batch_id}.json`), JSON.stringify(r, null, 2));
  }

  async getReport(batchId: string): Promise<DiagnosisReport | null> {
    try {
      return JSON.parse(await readFile(path.join(this.dir('reports'), `${batchId}.json`), 'utf8')) as DiagnosisReport;
    } catch {
      return null;
    }
  }

  /** The most recently received report (by `created_at`), or null. */
  async lastReport(): Promise<DiagnosisReport | null> {
    let names: string[] = [];
    try {
      names = (await readdir(this.dir('reports'))).filter((n) => n.endsWith('.json'));
    } catch {
      return null;
    }
    const all = await Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(this.dir('reports'), n), 'utf8')) as DiagnosisReport));
    return all.sort((a, b) => a.created_at.localeCompare(b.created_at)).at(-1) ?? null;
  }

  async putRecommendation(r: FirmwareRecommendation): Promise<void> {
    await writeFileAtomic(path.join(this.dir('recommendations'), `${r.recommendation_id}.json`), JSON.stringify(r, null, 2));
  }

  async listRecommendations(): Promise<FirmwareRecommendation[]> {
    let names: string[] = [];
    try {
      names = (await readdir(this.dir('recommendations'))).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(this.dir('recommendations'), n), 'utf8')) as FirmwareRecommendation));
  }
}
