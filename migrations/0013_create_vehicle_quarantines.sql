-- Recordings a vehicle set aside instead of uploading (edge agent quarantine:
-- a corrupt file, no messages on the selected topics, the outbox full), as
-- the vehicle reported them. One row per (vin, recording); a re-report updates it.
CREATE TABLE IF NOT EXISTS vehicle_quarantines (
  vin            text NOT NULL,
  recording_name text NOT NULL,
  recording_bytes bigint NOT NULL,
  code           text NOT NULL,
  reason         text NOT NULL,
  -- When the vehicle quarantined it (its clock), and when the hub heard of it.
  quarantined_at text NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  reports        integer NOT NULL DEFAULT 1,
  PRIMARY KEY (vin, recording_name)
);
CREATE INDEX IF NOT EXISTS vehicle_quarantines_received_idx ON vehicle_quarantines (received_at DESC);
