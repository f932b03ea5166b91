-- Organisation settings, connector configurations (incoming webhooks first), delivery logs
-- (PostgreSQL twin of ../sqlite/002_connectors.sql; the conventions are in 001_init.sql).

-- Explicit organisation settings; a setting without a row is "not set" and takes its default.
CREATE TABLE settings (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

-- A configuration belongs to its channel, not to the person who made it: created_by is kept
-- for display and for the URL shape, and the configuration outlives that person's membership.
CREATE TABLE connectors (
    id           TEXT COLLATE "C" PRIMARY KEY,
    kind         TEXT COLLATE "C" NOT NULL,
    connector_id TEXT COLLATE "C" NOT NULL,
    team_id      TEXT COLLATE "C" NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    channel_id   TEXT COLLATE "C" NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    name         TEXT COLLATE "C" NOT NULL,
    image_type   TEXT COLLATE "C" NOT NULL DEFAULT '',
    image        BYTEA,
    created_by   TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,
    url_format   TEXT COLLATE "C" NOT NULL,
    url_nonce    TEXT COLLATE "C" NOT NULL,
    deleted_at   TEXT COLLATE "C"
);
CREATE INDEX connectors_channel ON connectors (channel_id);

CREATE TABLE deliveries (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connector_id TEXT COLLATE "C" NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    at           TEXT COLLATE "C" NOT NULL,
    size         BIGINT NOT NULL,
    status       INTEGER NOT NULL,
    error        TEXT COLLATE "C" NOT NULL DEFAULT '',
    message_id   TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_connector ON deliveries (connector_id, seq);
