import { connect, type Socket } from 'node:net';

/**
 * A bare PostgreSQL protocol 3.0 client for tests: it sends exactly the
 * messages it is told to, when it is told to — so a test can split an
 * extended-query sequence across TCP writes, as any client may.
 */
export class WireClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Connects to `host:port` and completes the startup handshake. */
  static async open(hostPort: string): Promise<WireClient> {
    const [host, port] = hostPort.split(':');
    const socket = connect(Number(port), host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const c = new WireClient(socket);
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length, 0);
    head.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([head, params]));
    await c.untilReady();
    return c;
  }

  /** Sends raw messages (see `msg`). */
  send(...msgs: Buffer[]): void {
    this.socket.write(Buffer.concat(msgs));
  }

  /** Reads messages up to ReadyForQuery; answers the text of each DataRow's first column and each error's message. */
  async untilReady(): Promise<{ rows: string[]; errors: string[] }> {
    const rows: string[] = [];
    const errors: string[] = [];
    for (;;) {
      while (this.buf.length >= 5 && this.buf.length >= 1 + this.buf.readInt32BE(1)) {
        const type = String.fromCharCode(this.buf[0]!);
        const body = this.buf.subarray(5, 1 + this.buf.readInt32BE(1));
        this.buf = this.buf.subarray(1 + this.buf.readInt32BE(1));
        if (type === 'D') rows.push(body.subarray(6, 6 + body.readInt32BE(2)).toString());
        if (type === 'E') errors.push(body.toString().split('\0').find((f) => f.startsWith('M'))?.slice(1) ?? '?');
        if (type === 'Z') return { rows, errors };
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One protocol message: type byte, length, body (strings NUL-terminated by the caller). */
export function msg(type: string, ...parts: (string | Buffer | number[])[]): Buffer {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

/** Parse of the unnamed statement, Bind of the unnamed portal (no parameters), Execute, Sync. */
export const wire = {
  parse: (sql: string) => msg('P', '\0', `${sql}\0`, [0, 0]),
  bind: () => msg('B', '\0', '\0', [0, 0, 0, 0, 0, 0]),
  execute: () => msg('E', '\0', [0, 0, 0, 0]),
  sync: () => msg('S'),
};
