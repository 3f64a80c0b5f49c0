import { afterAll, beforeAll } from 'vitest';
import { InProcessStatusBus } from '../../cloud-hub/src/events/status-bus.js';
import { RedisStatusBus } from '../../cloud-hub/src/events/redis-status-bus.js';
import { statusBusSuite } from '../../cloud-hub/src/events/status-bus.suite.js';
import { startRedis, type LocalServer } from '../support/local-server.js';
import { testLogger } from '../support/test-hub.js';

let redis: LocalServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

statusBusSuite('InProcessStatusBus', async () => {
  const bus = new InProcessStatusBus();
  return [bus, bus];
});

statusBusSuite('RedisStatusBus (real redis-server, two hubs)', async () => {
  const url = `redis://127.0.0.1:${redis.port}`;
  return [await RedisStatusBus.connect(url, testLogger()), await RedisStatusBus.connect(url, testLogger())];
});
