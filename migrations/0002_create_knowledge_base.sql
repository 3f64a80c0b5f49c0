-- Knowledge base: faults, their causes (platform + firmware specific), and links.
CREATE TABLE IF NOT EXISTS kb_faults (
  code       text PRIMARY KEY,
  name       text NOT NULL,
  subsystem  text NOT NULL,
  severity   text NOT NULL,
  platforms  text[] NOT NULL,
  symptoms   text NOT NULL,
  signature  jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS kb_causes (
  id                   text PRIMARY KEY,
  fault_code           text NOT NULL REFERENCES kb_faults(code) ON DELETE CASCADE,
  platforms            text[] NOT NULL,
  firmware_component   text NOT NULL,
  affected_versions    text NOT NULL,
  root_cause           text NOT NULL,
  resolution           text NOT NULL,
  recommended_firmware jsonb,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS kb_causes_fault_idx ON kb_causes (fault_code);

CREATE TABLE IF NOT EXISTS kb_links (
  from_code text NOT NULL REFERENCES kb_faults(code) ON DELETE CASCADE,
  to_code   text NOT NULL,
  relation  text NOT NULL DEFAULT 'causes',
  PRIMARY KEY (from_code, to_code, relation)
);
