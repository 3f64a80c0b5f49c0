import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';
import { FsObjectStore } from './fs-object-store.js';
import { objectStoreSuite } from './object-store.suite.js';
import { PackObjectStore } from './pack-object-store.js';
import { S3ObjectStore } from './s3-object-store.js';

objectStoreSuite('FsObjectStore', async () => new FsObjectStore(await mkdtemp(path.join(os.tmpdir(), 'argus-fs-store-'))));
objectStoreSuite('PackObjectStore', async () => new PackObjectStore(await mkdtemp(path.join(os.tmpdir(), 'argus-pack-store-'))));
// Small packs: every few puts seal one and start the next.
objectStoreSuite('PackObjectStore (1 KiB packs)', async () => new PackObjectStore(await mkdtemp(path.join(os.tmpdir(), 'argus-pack-store-')), { packBytes: 1024 }));

// The S3 implementation against a real S3-protocol server on loopback (s3rver).
let s3: S3rver | undefined;
let endpoint = '';
beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'argus-s3rver-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const addr = await s3.run();
  endpoint = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await s3?.close();
});
objectStoreSuite('S3ObjectStore (s3rver)', async () => new S3ObjectStore({ endpoint, bucket: 'argus-test', accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' }));
