-- Keys that sign Switchboard's own tokens (RS256 JWTs for actionable-message calls and Graph
-- connector bearer tokens): the newest signs; older keys stay (and are published in the JWKS)
-- until every token they signed has expired, then they are deleted.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    period      INTEGER NOT NULL UNIQUE, -- 1, 2, ...: one key per rotation, whoever makes it
    created_ms  INTEGER NOT NULL,
    private_pem TEXT NOT NULL,
    n           TEXT NOT NULL, -- public modulus, base64url
    e           TEXT NOT NULL  -- public exponent, base64url
);

-- The durable outbox: work accepted from a request and done later by a worker thread, with
-- retries. lease_until/lease_owner let several server processes share the table: a job is run
-- by the process whose lease on it is current.
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending', -- pending | done | failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL,
    lease_until INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT NOT NULL DEFAULT '',
    last_error  TEXT NOT NULL DEFAULT '',
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_at);

-- Actionable messages: one row per click on a card action, run through the outbox (its job has
-- the same id). The result fields are filled when the call to the service ended.
CREATE TABLE action_executions (
    id                 TEXT PRIMARY KEY,
    message_id         TEXT NOT NULL,
    action_id          TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    connector_id       TEXT NOT NULL, -- the configuration that posted the card
    team_id            TEXT NOT NULL,
    channel_id         TEXT NOT NULL,
    target             TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'pending', -- pending | succeeded | failed
    http_status        INTEGER NOT NULL DEFAULT 0,
    card_action_status TEXT NOT NULL DEFAULT '',
    error              TEXT NOT NULL DEFAULT '',
    card_updated       INTEGER NOT NULL DEFAULT 0,
    created            TEXT NOT NULL,
    updated            TEXT NOT NULL
);
CREATE INDEX action_executions_user ON action_executions (user_id, created);
