import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfigInput } from '@argus/edge-agent';

const AGENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../edge-agent');
/** The compiled agent, as deploy/argus-agent.service runs it (rebuilt from the sources once per run). */
const BIN = path.join(AGENT, 'dist/argus-agent.mjs');
let built = false;

function buildAgent(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(AGENT, 'scripts/build.mjs')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the edge agent failed:\n${r.stderr}`);
  built = true;
}

/** One `argus-agent run` child process, its JSON log lines observable as they come. */
export class AgentProcess {
  readonly lines: { msg: string; [k: string]: unknown }[] = [];
  /** stderr lines that are not JSON log lines (a crash's stack trace). */
  readonly raw: string[] = [];
  private readonly exited: Promise<number | null>;
  private waiters: { pred: (l: { msg: string }) => boolean; resolve: () => void }[] = [];

  private constructor(readonly child: ChildProcess, logFile: string) {
    const out = createWriteStream(logFile, { flags: 'a' });
    let buf = '';
    child.stderr?.on('data', (d: Buffer) => {
      out.write(d);
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const l = JSON.parse(line) as { msg: string };
          this.lines.push(l);
          this.waiters = this.waiters.filter((w) => (w.pred(l) ? (w.resolve(), false) : true));
        } catch {
          this.raw.push(line);
        }
      }
    });
    this.exited = new Promise((r) => child.once('exit', (code) => {
      out.end();
      r(code);
    }));
  }

  /** Writes the config file and starts the daemon. */
  static async start(dir: string, cfg: AgentConfigInput, env: Record<string, string> = {}): Promise<AgentProcess> {
    const cfgFile = path.join(dir, 'agent.json');
    await writeFile(cfgFile, JSON.stringify(cfg));
    buildAgent();
    const child = spawn(process.execPath, [BIN, 'run', '--config', cfgFile], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    return new AgentProcess(child, path.join(dir, 'agent.log'));
  }

  /** Resolves when a log line matches (or rejects after `timeoutMs`). */
  waitFor(pred: (l: { msg: string; [k: string]: unknown }) => boolean, timeoutMs: number): Promise<void> {
    if (this.lines.some(pred)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`agent log line not seen within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ pred, resolve: () => { clearTimeout(t); resolve(); } });
      void this.exited.then((code) => reject(new Error(`agent exited (${code}) before the expected log line:\n${[...this.lines.slice(-3).map((l) => JSON.stringify(l)), ...this.raw.slice(-15)].join('\n')}`)));
    });
  }

  last(): { msg: string } | undefined {
    return this.lines.at(-1);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.child.kill(signal);
    await this.exited;
  }
}
