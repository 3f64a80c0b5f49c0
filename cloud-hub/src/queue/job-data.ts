import { z } from 'zod';

/** Schema of every job's data (decoded when a job comes back from Redis). */
export const JobData = z.object({ batchId: z.string().min(1) });
