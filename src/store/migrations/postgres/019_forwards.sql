-- Forwarding (PostgreSQL twin of ../sqlite/019_forwards.sql).
CREATE TABLE forwards (
    id              TEXT PRIMARY KEY,
    team_id         TEXT NOT NULL,
    channel_id      TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL, -- workflows | slack | email
    url             TEXT NOT NULL DEFAULT '',
    recipients      TEXT NOT NULL DEFAULT '[]',
    include_people  INTEGER NOT NULL DEFAULT 0,
    connectors      TEXT NOT NULL DEFAULT '*',
    keywords        TEXT NOT NULL DEFAULT '[]',
    colors          TEXT NOT NULL DEFAULT '[]', -- themeColor values (hex, no '#'), any
    created_by      TEXT NOT NULL,
    created         TEXT NOT NULL,
    updated         TEXT NOT NULL
);
CREATE INDEX forwards_channel ON forwards (channel_id);

-- One row per message a forward accepted, written with the message (same transaction) together
-- with its outbox job (kind "forward", same id).
CREATE TABLE forward_deliveries (
    id            TEXT PRIMARY KEY,
    forward_id    TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending', -- pending | delivered | failed
    attempts      INTEGER NOT NULL DEFAULT 0,
    http_status   INTEGER NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT '',
    response      TEXT NOT NULL DEFAULT '',
    last_attempt  TEXT NOT NULL DEFAULT '',
    created_ms    BIGINT NOT NULL
);
CREATE INDEX forward_deliveries_forward ON forward_deliveries (forward_id, created_ms);
