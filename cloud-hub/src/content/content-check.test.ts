import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { compress } from 'zstd-napi';
import { createLogger } from '@argus/shared';
import { ContentDecodeError } from './content-codec.js';
import { ContentChecker, inspectContent, type ContentFacts } from './content-check.js';

const csv = Buffer.from('log_time_ns,publish_time_ns,sequence,v\n' + Array.from({ length: 20000 }, (_, i) => `${i},${i},${i},${(i * 0.37).toFixed(3)}`).join('\n'));
const zst = compress(csv, { compressionLevel: 1 });
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const corrupt = Buffer.from(zst);
corrupt.fill(0x5a, 40, 400); // inside the first block: the frame header stays valid
const log = createLogger('silent', {}, () => {});

/** Facts as plain data (a ContentDecodeError as its code), to compare the worker with the inline check. */
const plain = (f: ContentFacts) => ({ sha256: f.sha256, decoded: f.decoded instanceof ContentDecodeError ? f.decoded.code : f.decoded });

const checkers: ContentChecker[] = [];
afterEach(async () => {
  await Promise.all(checkers.splice(0).map((c) => c.close()));
});
function checker(threads: number): ContentChecker {
  const c = new ContentChecker(threads, log);
  checkers.push(c);
  return c;
}

describe('ContentChecker', () => {
  it.each([0, 1, 2])('with %i threads answers sha256 and the zstd decode outcome like the inline check', async (threads) => {
    const c = checker(threads);
    expect(plain(await c.inspect(zst, csv.length))).toEqual({ sha256: sha(zst), decoded: csv.length });
    // Declared shorter than it decodes: refused at the declared size.
    expect(plain(await c.inspect(zst, csv.length - 1))).toEqual({ sha256: sha(zst), decoded: 'TOO_LARGE' });
    expect(plain(await c.inspect(corrupt, csv.length))).toEqual(plain(await inspectContent(corrupt, csv.length)));
    expect(plain(await c.inspect(corrupt, csv.length)).decoded).toBe('BAD_CONTENT');
    // Not asked to decode (gzip, identity, or a raw length over the limit): the sha256 only.
    expect(plain(await c.inspect(csv))).toEqual({ sha256: sha(csv), decoded: undefined });
  });

  it('keeps every answer with its own chunk under concurrency', async () => {
    const c = checker(2);
    const inputs = Array.from({ length: 60 }, (_, i) => compress(csv.subarray(0, 1000 + i * 997), { compressionLevel: 1 }));
    const facts = await Promise.all(inputs.map((b, i) => c.inspect(b, 1000 + i * 997)));
    expect(facts.map(plain)).toEqual(inputs.map((b, i) => ({ sha256: sha(b), decoded: 1000 + i * 997 })));
  });

  it('fails the checks of a worker that died, then replaces it', async () => {
    const c = checker(1);
    await c.inspect(zst, csv.length); // the worker is up
    const worker = (c as unknown as { workers: Worker[] }).workers[0] as Worker;
    const dying = worker.terminate(); // stops before it reads the next request
    const inFlight = c.inspect(zst, csv.length);
    await dying;
    await expect(inFlight).rejects.toThrow(/content check worker stopped/);
    expect(plain(await c.inspect(zst, csv.length))).toEqual({ sha256: sha(zst), decoded: csv.length });
  });

  it('checks inline once closed', async () => {
    const c = checker(1);
    await c.close();
    expect(plain(await c.inspect(zst, csv.length))).toEqual({ sha256: sha(zst), decoded: csv.length });
  });
});

describe('ContentChecker memory bound', () => {
  it('copies no more than its bound to the workers at once, and answers every check in the end', async () => {
    const c = new ContentChecker(1, log, 2 * zst.length + 1); // room for two chunks at a time
    checkers.push(c);
    let most = 0;
    const checks = Array.from({ length: 12 }, () => {
      const p = c.inspect(zst, csv.length);
      most = Math.max(most, c.bytesInFlight);
      return p;
    });
    const facts = await Promise.all(checks);
    expect(facts.map(plain)).toEqual(checks.map(() => ({ sha256: sha(zst), decoded: csv.length })));
    expect(most).toBeLessThanOrEqual(2 * zst.length + 1);
    expect(most).toBeGreaterThan(0);
    expect(c.bytesInFlight).toBe(0);
  });

  it('lets one chunk larger than the bound through alone', async () => {
    const c = new ContentChecker(1, log, 10);
    checkers.push(c);
    const facts = await Promise.all([c.inspect(zst, csv.length), c.inspect(zst, csv.length)]);
    expect(facts.map(plain)).toEqual([{ sha256: sha(zst), decoded: csv.length }, { sha256: sha(zst), decoded: csv.length }]);
  });
});
