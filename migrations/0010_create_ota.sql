-- OTA recommendation rules and the recommendations they produce.
CREATE TABLE IF NOT EXISTS ota_rules (
  rule_id            text PRIMARY KEY,
  fault_code         text NOT NULL,
  -- NULL = any cause of the fault.
  cause_id           text,
  -- Empty = every platform.
  platforms          text[] NOT NULL DEFAULT '{}',
  firmware_component text NOT NULL,
  affected_versions  text NOT NULL,
  target_component   text NOT NULL,
  target_version     text NOT NULL,
  note               text NOT NULL DEFAULT '',
  enabled            boolean NOT NULL DEFAULT true,
  updated_by         text NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ota_rules_fault_idx ON ota_rules (fault_code);

CREATE TABLE IF NOT EXISTS recommendations (
  recommendation_id text PRIMARY KEY,
  vin               text NOT NULL,
  batch_id          uuid NOT NULL,
  rule_id           text NOT NULL,
  fault_code        text NOT NULL,
  cause_id          text,
  target_component  text NOT NULL,
  target_version    text NOT NULL,
  current_version   text,
  note              text NOT NULL,
  status            text NOT NULL DEFAULT 'pending',
  created_at        timestamptz NOT NULL DEFAULT now(),
  decided_by        text,
  decided_at        timestamptz,
  comment           text,
  sent_at           timestamptz,
  delivered_at      timestamptz,
  CONSTRAINT recommendations_status_ck CHECK (status IN ('pending', 'approved', 'rejected')),
  CONSTRAINT recommendations_once UNIQUE (batch_id, rule_id)
);
CREATE INDEX IF NOT EXISTS recommendations_status_idx ON recommendations (status, created_at DESC);
CREATE INDEX IF NOT EXISTS recommendations_vin_idx ON recommendations (vin);
