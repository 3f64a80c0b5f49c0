import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const argus = path.resolve('cli/bin/argus.mjs');

// `argus kb import` (Markdown with front matter + JSON) and `argus kb export`
// against an embedded database in a temporary data dir.
describe('argus kb', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'argus-kbcli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('imports a folder, refuses a bad file by name, and exports everything', async () => {
    const docs = path.join(dir, 'docs');
    await mkdir(docs);
    await writeFile(path.join(docs, 'note.md'), '---\nid: note-wipers\nkind: note\ntitle: Wiper fluid and radar\nplatforms: [T2]\nfault_codes: [0x8021]\n---\nWiper fluid spray can cover the radome on T2.\n');
    await writeFile(path.join(docs, 'case.json'), JSON.stringify({ id: 'case-cli', vin: 'VINCLI', platform: 'T2', fault_code: '0x8021', cause_id: '0x8021-a', summary: 'Radome covered in mud.', confirmed_by: 'cli-test' }));
    const env = { ...process.env, ARGUS_DATA_DIR: path.join(dir, 'hub'), LOG_LEVEL: 'warn' };
    const imp = await run(process.execPath, [argus, 'kb', 'import', docs], { env, timeout: 240_000 });
    expect(JSON.parse(imp.stdout.trim().split('\n').pop()!)).toMatchObject({ documents: 1, cases: 1 });

    await writeFile(path.join(dir, 'bad.md'), '---\nid: bad\nkind: memo\n---\n');
    const bad = await run(process.execPath, [argus, 'kb', 'import', path.join(dir, 'bad.md')], { env, timeout: 240_000 }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in bad && bad.code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/bad\.md: .*kind/);

    const out = path.join(dir, 'kb.json');
    await run(process.execPath, [argus, 'kb', 'export', '--out', out], { env, timeout: 240_000 });
    const b = JSON.parse(await readFile(out, 'utf8'));
    expect(b.faults).toHaveLength(20);
    expect(b.documents.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(['note-wipers', 'sb-2024-017']));
    expect(b.cases.map((c: { id: string }) => c.id)).toContain('case-cli');
  }, 600_000);
});
