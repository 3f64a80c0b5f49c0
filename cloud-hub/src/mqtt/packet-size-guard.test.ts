import { describe, expect, it } from 'vitest';
import { Duplex } from 'node:stream';
import { guardPacketSize, PacketSizeScanner, PacketTooLargeError } from './packet-size-guard.js';

/** An MQTT packet: type byte, Remaining Length (MQTT 3.1.1 §2.2.3), body. */
function packet(bodyLen: number): Buffer {
  const len: number[] = [];
  let x = bodyLen;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    len.push(b);
  } while (x > 0);
  return Buffer.concat([Buffer.from([0x32, ...len]), Buffer.alloc(bodyLen, 1)]);
}

describe('PacketSizeScanner', () => {
  it('passes packets at the limit, split at every byte', () => {
    const stream = Buffer.concat([packet(0), packet(127), packet(128), packet(16_380), packet(5)]);
    for (let cut = 0; cut <= stream.length; cut += 97) {
      const s = new PacketSizeScanner(16_384);
      expect(() => {
        s.push(stream.subarray(0, cut));
        s.push(stream.subarray(cut));
      }).not.toThrow();
    }
    const s = new PacketSizeScanner(16_384);
    for (const b of stream) s.push(Buffer.from([b]));
  });

  it('refuses a packet from its header alone, before the body arrives', () => {
    const s = new PacketSizeScanner(1000);
    s.push(packet(10));
    const big = packet(2_000_000).subarray(0, 4); // type + 3 length bytes, no body
    expect(() => s.push(big)).toThrow(PacketTooLargeError);
    try {
      new PacketSizeScanner(1000).push(big);
    } catch (e) {
      expect((e as PacketTooLargeError).bytes).toBe(2_000_004);
    }
  });

  it('counts the fixed header towards the limit', () => {
    expect(() => new PacketSizeScanner(100).push(packet(98))).not.toThrow();
    expect(() => new PacketSizeScanner(100).push(packet(99))).toThrow(PacketTooLargeError);
  });

  it('refuses a Remaining Length of more than four bytes', () => {
    expect(() => new PacketSizeScanner(1e9).push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(/more than 4 bytes/);
  });
});

describe('guardPacketSize', () => {
  /** A connection read the way aedes 1.x reads it: `read()` on 'readable'. */
  function reader(conn: Duplex): Buffer[] {
    const got: Buffer[] = [];
    conn.on('readable', () => {
      for (let b = conn.read() as Buffer | null; b !== null; b = conn.read() as Buffer | null) got.push(b);
    });
    return got;
  }
  const settle = () => new Promise((r) => setImmediate(r));

  it('lets packets within the limit through, and destroys the connection at the header of a larger one before its bytes are read', async () => {
    const conn = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
    const refused: Error[] = [];
    expect(guardPacketSize(conn, 1024, (e) => refused.push(e))).toBe(conn);
    const got = reader(conn);
    conn.push(Buffer.concat([packet(10), packet(1000)]));
    await settle();
    expect(Buffer.concat(got)).toEqual(Buffer.concat([packet(10), packet(1000)]));
    conn.push(packet(5000).subarray(0, 3)); // type + two length bytes: 5000 announced
    await settle();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(PacketTooLargeError);
    expect(conn.destroyed).toBe(true);
    expect(Buffer.concat(got).length).toBe(packet(10).length + packet(1000).length);
  });

  it('joins the corked pieces of a packet into one write on a stream without writev (the WebSocket stream)', async () => {
    const writes: Buffer[] = [];
    const conn = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        writes.push(chunk);
        cb();
      },
    });
    guardPacketSize(conn, 1024, () => undefined);
    conn.cork();
    conn.write(Buffer.from([0x30]));
    conn.write(Buffer.from([3, 0, 1]));
    conn.write(Buffer.from('t'));
    conn.uncork();
    await settle();
    expect(writes).toEqual([Buffer.from([0x30, 3, 0, 1, 0x74])]);
    conn.write(Buffer.from('single'));
    await settle();
    expect(writes[1]).toEqual(Buffer.from('single'));
  });

  it('keeps the writev of a TCP socket', async () => {
    const { Socket } = await import('node:net');
    const s = new Socket();
    const own = s._writev;
    guardPacketSize(s, 1024, () => undefined);
    expect(s._writev).toBe(own);
    s.destroy();
  });
});
