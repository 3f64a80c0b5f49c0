import { createLogger } from '@argus/shared';
import { InProcessQueue } from './in-process-queue.js';
import { jobQueueSuite } from './job-queue.suite.js';

jobQueueSuite('InProcessQueue', async (o) => new InProcessQueue(createLogger('silent', {}, () => undefined), { attempts: o.attempts, baseDelayMs: o.backoffMs }));
