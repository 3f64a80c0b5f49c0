import { RedisReadCache } from '../../cloud-hub/src/read-cache/redis-read-cache.js';
import { readCacheSuite } from '../../cloud-hub/src/read-cache/read-cache.suite.js';
import { startRedis } from '../support/local-server.js';

readCacheSuite('RedisReadCache (real redis-server)', async () => {
  const redis = await startRedis();
  return { cache: new RedisReadCache(`redis://127.0.0.1:${redis.port}`), stop: () => redis.stop() };
});
