-- Organisation settings, connector configurations (incoming webhooks first), delivery logs.

-- Explicit organisation settings; a setting without a row is "not set" and takes its default.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A configuration belongs to its channel, not to the person who made it: created_by is kept
-- for display and for the URL shape, and the configuration outlives that person's membership.
CREATE TABLE connectors (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    connector_id TEXT NOT NULL,
    team_id      TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    channel_id   TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    image_type   TEXT NOT NULL DEFAULT '',
    image        BLOB,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    url_format   TEXT NOT NULL,
    url_nonce    TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX connectors_channel ON connectors (channel_id);

CREATE TABLE deliveries (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    size         INTEGER NOT NULL,
    status       INTEGER NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    message_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_connector ON deliveries (connector_id, seq);
