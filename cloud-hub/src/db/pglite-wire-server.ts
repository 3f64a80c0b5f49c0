import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '@argus/shared';

// Startup-phase request codes (PostgreSQL protocol 3.0, "Message Formats").
const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** One client connection: bytes not yet framed, and framed messages not yet run. */
class WireConn {
  buf: Buffer = Buffer.alloc(0);
  started = false;
  ready: Buffer[] = [];
  closed = false;
  constructor(readonly id: number, readonly socket: Socket) {}
}

/**
 * Serves ONE PGlite session to many `pg` connections over loopback TCP, without
 * letting them corrupt each other. PGlite is a single backend session, so the
 * session must be handed to one connection at a time for a whole unit of work:
 *
 * - an extended-query sequence (Parse/Bind/Describe/Execute … up to its Sync,
 *   protocol 3.0 §"Extended Query") — its unnamed statement and unnamed portal
 *   live in the session, so another connection's Parse or Sync in the middle
 *   would replace or close them (`portal "" does not exist`, or worse, a Bind of
 *   another connection's statement);
 * - an explicit transaction (BEGIN … COMMIT/ROLLBACK), which must not see other
 *   connections' statements.
 *
 * @electric-sql/pglite-socket 0.2 queues single messages and only keeps
 * transaction affinity for explicit transactions (`isInTransaction()` is false
 * between Parse and Sync), so it interleaves extended-query sequences of
 * concurrent connections. This server instead gives the session to a
 * connection (its `owner`) until that connection reaches a Sync or simple Query
 * outside a transaction block; meanwhile others wait in FIFO order. All framed
 * messages a connection has ready run in one `execProtocolRawStream` call.
 * A connection that drops while owning the session gets a Sync and, inside a
 * transaction, a ROLLBACK on its behalf.
 */
export class PgliteWireServer {
  private server: Server | null = null;
  private readonly conns = new Set<WireConn>();
  private readonly waiting: WireConn[] = [];
  private owner: WireConn | null = null;
  private pumping = false;
  private nextId = 1;
  private port = 0;

  constructor(private readonly lite: PGlite, private readonly log: Logger) {}

  /** Listens on `host` (loopback by default) and a free port; answers `host:port`. */
  async start(host = '127.0.0.1'): Promise<string> {
    const server = createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    server.on('error', (err) => this.log.warn('embedded database server error', { err: err.message }));
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('embedded database server: no TCP address');
    this.port = addr.port;
    return `${host}:${this.port}`;
  }

  /** Closes every connection and stops listening (the PGlite instance stays open). */
  async stop(): Promise<void> {
    for (const c of this.conns) c.socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    // Let a pump in progress finish its PGlite call before the caller closes PGlite.
    while (this.pumping) await new Promise((r) => setTimeout(r, 5));
  }

  /** Open connections and connections waiting for the session (for tests and metrics). */
  stats(): { connections: number; waiting: number; owned: boolean } {
    return { connections: this.conns.size, waiting: this.waiting.length, owned: this.owner !== null };
  }

  private accept(socket: Socket): void {
    const c = new WireConn(this.nextId++, socket);
    this.conns.add(c);
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(c, d));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose(c));
  }

  private onData(c: WireConn, d: Buffer): void {
    c.buf = c.buf.length === 0 ? d : Buffer.concat([c.buf, d]);
    let added = false;
    for (;;) {
      const msg = this.frame(c);
      if (msg === null) break;
      if (msg.length === 0) continue;
      if (msg[0] === TERMINATE) {
        c.socket.end();
        break;
      }
      c.ready.push(msg);
      added = true;
    }
    if (added) this.enqueue(c);
  }

  /** Takes one message off `c.buf`: a message to run, an empty buffer for one handled here, or null if incomplete. */
  private frame(c: WireConn): Buffer | null {
    if (!c.started) {
      if (c.buf.length < 8) return null;
      const len = c.buf.readInt32BE(0);
      if (len < 8 || len > 1 << 20) {
        c.socket.destroy();
        return null;
      }
      if (c.buf.length < len) return null;
      const code = c.buf.readInt32BE(4);
      const msg = c.buf.subarray(0, len);
      c.buf = c.buf.subarray(len);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        c.socket.write('N');
        return Buffer.alloc(0);
      }
      if (code === CANCEL_REQUEST) return Buffer.alloc(0); // no backend to signal: dropped, as the protocol allows
      if (code !== PROTOCOL_3) {
        c.socket.destroy();
        return null;
      }
      c.started = true;
      return Buffer.from(msg);
    }
    if (c.buf.length < 5) return null;
    const len = 1 + c.buf.readInt32BE(1);
    if (c.buf.length < len) return null;
    const msg = c.buf.subarray(0, len);
    c.buf = c.buf.subarray(len);
    return msg;
  }

  private enqueue(c: WireConn): void {
    if (c !== this.owner && !this.waiting.includes(c)) this.waiting.push(c);
    void this.pump();
  }

  private onClose(c: WireConn): void {
    c.closed = true;
    this.conns.delete(c);
    c.ready = [];
    const i = this.waiting.indexOf(c);
    if (i >= 0) this.waiting.splice(i, 1);
    void this.pump();
  }

  /** Runs ready work, one connection at a time, honouring the owner (see the class comment). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const owner = this.owner;
        if (owner?.closed) {
          await this.abandon(owner);
          this.owner = null;
          continue;
        }
        const c = owner ?? this.waiting.shift();
        if (!c) break;
        if (c.ready.length === 0) {
          if (c === owner) break; // the owner's next message will resume the pump
          continue;
        }
        const msgs = c.ready;
        c.ready = [];
        await this.run(c, msgs);
        const last = msgs[msgs.length - 1]!;
        const boundary = last[0] === SYNC || last[0] === QUERY || last[0] === 0;
        this.owner = boundary && !this.lite.isInTransaction() ? null : c;
        if (this.owner === null && c.ready.length > 0 && !c.closed) this.waiting.push(c);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async run(c: WireConn, msgs: Buffer[]): Promise<void> {
    // A startup packet is processed on its own (PGlite recognises it by its first byte).
    const groups = msgs[0]![0] === 0 ? [msgs.slice(0, 1), msgs.slice(1)] : [msgs];
    for (const g of groups) {
      if (g.length === 0) continue;
      const bytes = g.length === 1 ? g[0]! : Buffer.concat(g);
      // One socket write per call (PGlite hands over its output in many small pieces).
      const out: Buffer[] = [];
      try {
        await this.lite.runExclusive(() =>
          this.lite.execProtocolRawStream(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
            onRawData: (piece: Uint8Array) => void out.push(Buffer.from(piece)),
          }),
        );
        if (!c.closed && c.socket.writable && out.length > 0) c.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
      } catch (err) {
        this.log.warn('embedded database: protocol call failed, closing its connection', { conn: c.id, err: (err as Error).message });
        c.socket.destroy();
        return;
      }
    }
  }

  /** Ends what a dropped owner left open: its extended-query sequence and its transaction. */
  private async abandon(c: WireConn): Promise<void> {
    const discard = { onRawData: () => undefined };
    try {
      await this.lite.runExclusive(async () => {
        await this.lite.execProtocolRawStream(Buffer.from([SYNC, 0, 0, 0, 4]), discard);
        if (this.lite.isInTransaction()) await this.lite.execProtocolRawStream(simpleQuery('ROLLBACK'), discard);
      });
      this.log.info('embedded database: rolled back a dropped connection', { conn: c.id });
    } catch (err) {
      this.log.warn('embedded database: cleanup of a dropped connection failed', { conn: c.id, err: (err as Error).message });
    }
  }
}

function simpleQuery(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const msg = Buffer.alloc(5 + body.length);
  msg[0] = QUERY;
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return msg;
}
