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
  it('hands corked writes to the connection as one write (one syscall per MQTT packet)', async () => {
    const writes: Buffer[] = [];
    const conn = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        writes.push(chunk);
        cb();
      },
    });
    const d = guardPacketSize(conn, 1024, () => undefined);
    d.on('error', () => undefined); // destroy() below aborts the composed stream
    d.cork();
    d.write(Buffer.from([0x30]));
    d.write(Buffer.from([3, 0, 1]));
    d.write(Buffer.from('t'));
    d.uncork();
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([Buffer.from([0x30, 3, 0, 1, 0x74])]);
    d.write(Buffer.from('single'));
    await new Promise((r) => setImmediate(r));
    expect(writes[1]).toEqual(Buffer.from('single'));
    d.destroy();
  });
});
