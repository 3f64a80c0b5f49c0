-- Batches (one per recording), their chunks, events, features and reports.
CREATE TABLE IF NOT EXISTS vehicles (
  vin          text PRIMARY KEY,
  vehicle_id   text,
  platform     text,
  firmware     jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS batches (
  batch_id        uuid PRIMARY KEY,
  vin             text NOT NULL,
  platform        text,
  state           text NOT NULL DEFAULT 'pending',
  manifest        jsonb,
  chunks_expected integer,
  chunks_stored   integer NOT NULL DEFAULT 0,
  reason          text,
  retries         integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT batches_state_ck CHECK (state IN ('pending','uploading','uploaded','gathering','gathered','diagnosing','diagnosed','failed'))
);
CREATE INDEX IF NOT EXISTS batches_vin_idx ON batches (vin, created_at DESC);

-- The barrier's ledger: one row per stored chunk; (batch, file, index) is the chunk id.
CREATE TABLE IF NOT EXISTS chunks (
  batch_id     uuid NOT NULL,
  file_id      text NOT NULL,
  chunk_index  integer NOT NULL,
  topic        text NOT NULL,
  sha256       text NOT NULL,
  byte_length  integer NOT NULL,
  raw_length   integer NOT NULL,
  rows         integer NOT NULL,
  object_key   text NOT NULL,
  stored_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (batch_id, file_id, chunk_index)
);

CREATE TABLE IF NOT EXISTS batch_events (
  id         bigserial PRIMARY KEY,
  batch_id   uuid NOT NULL,
  state      text NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}'::jsonb,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS batch_events_batch_idx ON batch_events (batch_id, id);

CREATE TABLE IF NOT EXISTS drive_features (
  batch_id   uuid PRIMARY KEY,
  features   jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS reports (
  report_id     text PRIMARY KEY,
  batch_id      uuid NOT NULL UNIQUE,
  vin           text NOT NULL,
  status        text NOT NULL,
  report        jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  delivered_at  timestamptz
);
