import * as Minio from 'minio';
import { assertSafeKey, ObjectNotFoundError, type ObjectStore } from './object-store.js';

/** Connection settings for S3ObjectStore. */
export interface S3Settings {
  endpoint: string;
  bucket: string;
  accessKey?: string | undefined;
  secretKey?: string | undefined;
  region: string;
}

/** ObjectStore on S3 or MinIO through the minio client. Puts are known-size (no multipart needed for chunks). */
export class S3ObjectStore implements ObjectStore {
  private readonly client: Minio.Client;
  private ready: Promise<void> | undefined;

  constructor(private readonly s: S3Settings) {
    const u = new URL(s.endpoint);
    this.client = new Minio.Client({
      endPoint: u.hostname,
      port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80,
      useSSL: u.protocol === 'https:',
      accessKey: s.accessKey ?? '',
      secretKey: s.secretKey ?? '',
      region: s.region,
      pathStyle: true,
    });
  }

  /** Creates the bucket when missing (once). */
  private ensureBucket(): Promise<void> {
    this.ready ??= (async () => {
      if (!(await this.client.bucketExists(this.s.bucket))) await this.client.makeBucket(this.s.bucket, this.s.region);
    })();
    return this.ready;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    assertSafeKey(key);
    await this.ensureBucket();
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.client.putObject(this.s.bucket, key, buf, buf.length);
  }

  async get(key: string): Promise<Buffer> {
    assertSafeKey(key);
    await this.ensureBucket();
    try {
      const stream = await this.client.getObject(this.s.bucket, key);
      const parts: Buffer[] = [];
      for await (const p of stream) parts.push(p as Buffer);
      return Buffer.concat(parts);
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    assertSafeKey(key);
    await this.ensureBucket();
    try {
      await this.client.statObject(this.s.bucket, key);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    await this.ensureBucket();
    const keys: string[] = [];
    for await (const o of this.client.listObjectsV2(this.s.bucket, prefix, true)) {
      const name = (o as { name?: string }).name;
      if (name) keys.push(name);
    }
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    await this.ensureBucket();
    await this.client.removeObject(this.s.bucket, key);
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchObject';
}
