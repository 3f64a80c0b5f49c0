import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

/**
 * A TLS terminator on loopback, as a load balancer in front of the hub would
 * be: accepts TLS with the given certificate and relays the plain bytes to
 * `targetUrl`'s host:port (the hub's MQTT or HTTP port — TLS is below both).
 */
export class TlsTerminator {
  /** Completed TLS handshakes (a client that refuses the certificate completes none). */
  handshakes = 0;
  private readonly sockets = new Set<net.Socket>();
  private constructor(private readonly server: tls.Server, readonly port: number) {}

  static async start(cert: { certFile: string; keyFile: string }, targetUrl: string): Promise<TlsTerminator> {
    const target = new URL(targetUrl);
    let self: TlsTerminator | undefined;
    const server = tls.createServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (down) => {
      if (self) self.handshakes++;
      const up = net.connect(Number(target.port), target.hostname);
      for (const s of [down, up]) {
        self?.sockets.add(s);
        s.on('close', () => self?.sockets.delete(s));
        s.on('error', () => { down.destroy(); up.destroy(); });
      }
      down.pipe(up).pipe(down);
    });
    server.on('tlsClientError', () => undefined); // a refused handshake is the client's business
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
    self = new TlsTerminator(server, port);
    return self;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
