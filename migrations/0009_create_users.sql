-- Dashboard users, their sessions and API tokens, and the audit log of every change.
CREATE TABLE IF NOT EXISTS users (
  user_id       bigserial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  role          text NOT NULL,
  -- scrypt$N$r$p$salt$hash (base64url); never the password itself.
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_role_ck CHECK (role IN ('viewer', 'ota', 'admin'))
);

-- Browser sessions: the cookie holds a random id; only its sha256 is stored.
CREATE TABLE IF NOT EXISTS user_sessions (
  session_hash text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS user_sessions_user_idx ON user_sessions (user_id);

-- API tokens: only the sha256 of the token is stored.
CREATE TABLE IF NOT EXISTS api_tokens (
  token_id     bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Every change made by a person: who, when, what.
CREATE TABLE IF NOT EXISTS audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text NOT NULL,
  detail  jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON audit_log (at DESC);
