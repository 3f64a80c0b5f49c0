-- Indexes for the dashboard's paginated drive list and fleet analytics.
CREATE INDEX IF NOT EXISTS batches_created_idx ON batches (created_at DESC, batch_id);
CREATE INDEX IF NOT EXISTS batches_state_idx ON batches (state, created_at DESC);
CREATE INDEX IF NOT EXISTS reports_vin_idx ON reports (vin, created_at DESC);
CREATE INDEX IF NOT EXISTS vehicles_platform_idx ON vehicles (platform);
