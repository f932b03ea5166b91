-- Foundation schema: installation metadata, accounts, credentials, teams, channels, members,
-- messages. Text ids are GUIDs; times are RFC 3339 UTC text (they sort as text).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    upn           TEXT NOT NULL,
    upn_lower     TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       INTEGER NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    expires_ms INTEGER NOT NULL DEFAULT 0,
    csrf       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id, kind);

CREATE TABLE teams (
    id               TEXT PRIMARY KEY,
    display_name     TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    allow_connectors INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL
);

CREATE TABLE channels (
    id              TEXT PRIMARY KEY,
    team_id         TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    display_name    TEXT NOT NULL,
    name_lower      TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    membership_type TEXT NOT NULL DEFAULT 'standard',
    is_general      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    UNIQUE (team_id, name_lower)
);

CREATE TABLE members (
    id         TEXT PRIMARY KEY,
    team_id    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (team_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    team_id      TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    channel_id   TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    from_kind    TEXT NOT NULL,
    from_id      TEXT NOT NULL,
    from_name    TEXT NOT NULL,
    body_type    TEXT NOT NULL,
    body         TEXT NOT NULL,
    summary      TEXT,
    attachments  TEXT
);
CREATE INDEX messages_channel ON messages (channel_id, seq);
