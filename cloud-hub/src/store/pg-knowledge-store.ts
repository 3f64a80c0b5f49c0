import type pg from 'pg';
import { loadKb } from '../kb/load-kb.js';
import type { KbFault, KnowledgeBase } from '../kb/knowledge-base.js';
import type { KnowledgeStore } from './knowledge-store.js';

const SQL = {
  upsertFault: `INSERT INTO kb_faults (code, name, subsystem, severity, platforms, symptoms, signature, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, now())
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, subsystem = EXCLUDED.subsystem, severity = EXCLUDED.severity,
      platforms = EXCLUDED.platforms, symptoms = EXCLUDED.symptoms, signature = EXCLUDED.signature, updated_at = now()`,
  deleteCauses: `DELETE FROM kb_causes WHERE fault_code = $1`,
  insertCause: `INSERT INTO kb_causes (id, fault_code, platforms, firmware_component, affected_versions, root_cause, resolution, recommended_firmware)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
    ON CONFLICT (id) DO UPDATE SET fault_code = EXCLUDED.fault_code, platforms = EXCLUDED.platforms, firmware_component = EXCLUDED.firmware_component,
      affected_versions = EXCLUDED.affected_versions, root_cause = EXCLUDED.root_cause, resolution = EXCLUDED.resolution,
      recommended_firmware = EXCLUDED.recommended_firmware, updated_at = now()`,
  faults: `SELECT code, name, subsystem, severity, platforms, symptoms, signature FROM kb_faults ORDER BY code`,
  causes: `SELECT id, fault_code, platforms, firmware_component, affected_versions, root_cause, resolution, recommended_firmware FROM kb_causes ORDER BY id`,
  count: `SELECT count(*)::int AS n FROM kb_faults`,
} as const;

/** KnowledgeStore on Postgres: kb_faults, kb_causes, kb_links (migrations/0002). */
export class PgKnowledgeStore implements KnowledgeStore {
  constructor(private readonly pool: pg.Pool) {}

  async upsert(kb: KnowledgeBase): Promise<{ faults: number; causes: number }> {
    const client = await this.pool.connect();
    let causes = 0;
    try {
      await client.query('BEGIN');
      for (const f of kb.faults) {
        await client.query(SQL.upsertFault, [f.code, f.name, f.subsystem, f.severity, f.platforms, f.symptoms, JSON.stringify(f.signature)]);
        await client.query(SQL.deleteCauses, [f.code]);
        for (const c of f.causes) {
          await client.query(SQL.insertCause, [c.id, f.code, c.platforms, c.firmware_component, c.affected_versions, c.root_cause, c.resolution, c.recommended_firmware ? JSON.stringify(c.recommended_firmware) : null]);
          causes++;
        }
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    return { faults: kb.faults.length, causes };
  }

  async load(): Promise<KnowledgeBase> {
    const faults = (await this.pool.query<Omit<KbFault, 'causes'>>(SQL.faults)).rows;
    const causes = (await this.pool.query<KbFault['causes'][number] & { fault_code: string }>(SQL.causes)).rows;
    const byFault = new Map<string, KbFault['causes']>();
    for (const { fault_code, ...c } of causes) {
      const list = byFault.get(fault_code) ?? [];
      list.push(c);
      byFault.set(fault_code, list);
    }
    return loadKb({ version: 'db', faults: faults.map((f) => ({ ...f, causes: byFault.get(f.code) ?? [] })) }, 'knowledge base in the database');
  }

  async count(): Promise<number> {
    return (await this.pool.query<{ n: number }>(SQL.count)).rows[0]?.n ?? 0;
  }
}
