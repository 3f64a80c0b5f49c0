-- Batches past the barrier but not finished: what a restarting hub re-enqueues
-- (cloud-hub/src/pipeline/resume-batches.ts). Partial, so it stays small.
CREATE INDEX IF NOT EXISTS batches_in_flight_idx ON batches (updated_at)
  WHERE state IN ('uploaded', 'gathering', 'gathered', 'diagnosing');
