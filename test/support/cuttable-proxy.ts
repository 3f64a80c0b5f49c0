import net from 'node:net';

/**
 * A TCP relay on loopback in front of one service (the hub's MQTT port), which
 * a test can cut — listener closed, every relayed connection reset, so the
 * port refuses like a dead broker — and restore on the same port, while the
 * rest of the hub (its HTTP API) stays up.
 */
export class CuttableProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private constructor(private readonly target: { host: string; port: number }, public port: number) {}

  /** Starts relaying a free loopback port to `targetUrl`'s host:port. */
  static async start(targetUrl: string): Promise<CuttableProxy> {
    const u = new URL(targetUrl);
    const p = new CuttableProxy({ host: u.hostname, port: Number(u.port) }, 0);
    await p.restore();
    return p;
  }

  /** `mqtt://127.0.0.1:{port}` of the relay. */
  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Listens again (on the same port once it has one). */
  async restore(): Promise<void> {
    const server = net.createServer((down) => {
      const up = net.connect(this.target.port, this.target.host);
      for (const s of [down, up]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { down.destroy(); up.destroy(); });
      }
      down.pipe(up).pipe(down);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and resets every relayed connection. */
  async cut(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.resetAndDestroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
