-- Knowledge base, part 2: documents (service bulletins, runbooks), confirmed
-- past diagnoses (cases) and one searchable passage table that retrieval reads.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS kb_documents (
  id          text PRIMARY KEY,
  kind        text NOT NULL,               -- bulletin | runbook | note
  title       text NOT NULL,
  platforms   text[] NOT NULL DEFAULT '{}', -- empty: every platform
  fault_codes text[] NOT NULL DEFAULT '{}',
  cause_ids   text[] NOT NULL DEFAULT '{}',
  body        text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS kb_cases (
  id           text PRIMARY KEY,
  vin          text NOT NULL,
  platform     text NOT NULL,
  firmware     jsonb NOT NULL DEFAULT '{}'::jsonb,
  fault_code   text NOT NULL REFERENCES kb_faults(code) ON DELETE CASCADE,
  cause_id     text REFERENCES kb_causes(id) ON DELETE SET NULL,
  summary      text NOT NULL,
  confirmed_by text NOT NULL,
  confirmed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS kb_cases_fault_idx ON kb_cases (fault_code);

-- Derived from faults, causes, documents and cases; rebuilt when they change.
-- embedding is NULL until the background indexer has embedded the passage with
-- the current model (embedding_model names it; a new model re-embeds).
CREATE TABLE IF NOT EXISTS kb_passages (
  id              text PRIMARY KEY,
  source_kind     text NOT NULL,            -- fault | cause | document | case
  source_id       text NOT NULL,
  fault_codes     text[] NOT NULL DEFAULT '{}',
  cause_ids       text[] NOT NULL DEFAULT '{}',
  platforms       text[] NOT NULL DEFAULT '{}',
  title           text NOT NULL,
  body            text NOT NULL,
  tsv             tsvector GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED,
  embedding       vector(384),
  embedding_model text,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS kb_passages_source_idx ON kb_passages (source_kind, source_id);
CREATE INDEX IF NOT EXISTS kb_passages_tsv_idx ON kb_passages USING gin (tsv);
CREATE INDEX IF NOT EXISTS kb_passages_codes_idx ON kb_passages USING gin (fault_codes);
-- The HNSW index is created by the indexer after the bulk load (retrieval/pg-retrieval-queries.ts).
