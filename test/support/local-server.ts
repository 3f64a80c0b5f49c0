import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

/** A child server process on a loopback port (redis-server, mosquitto). */
export interface LocalServer {
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** A free loopback port (the OS picks it; closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `cmd args` (built from the port) and waits until the port accepts connections. */
export async function startLocalServer(cmd: string, args: (port: number) => string[], timeoutMs = 20_000): Promise<LocalServer> {
  const port = await freePort();
  const proc = spawn(systemBinary(cmd), args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${cmd} exited with ${proc.exitCode}: ${stderr}`);
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); r(true); });
      c.once('error', () => r(false));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${cmd} did not listen on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, proc,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** A throwaway redis-server without persistence. */
export function startRedis(): Promise<LocalServer> {
  return startLocalServer('redis-server', (p) => ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
}

/** Debian puts daemons in /usr/sbin, which a non-login PATH may lack: look there too. */
function systemBinary(cmd: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin']) if (existsSync(`${dir}/${cmd}`)) return `${dir}/${cmd}`;
  return cmd;
}
