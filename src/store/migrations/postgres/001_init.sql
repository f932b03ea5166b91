-- Foundation schema (PostgreSQL twin of ../sqlite/001_init.sql): installation metadata,
-- accounts, credentials, teams, channels, members, messages. Text ids are GUIDs; times are
-- RFC 3339 UTC text (they sort as text).
--
-- Kept equivalent to the SQLite schema so that one set of SQL serves both:
-- - text columns use COLLATE "C" (byte order), as SQLite's BINARY does: ORDER BY created_at, id
--   must not depend on the database's locale;
-- - flags stay INTEGER 0/1 (not BOOLEAN), so `is_admin = ?` binds the same integer everywhere;
-- - 64-bit values (milliseconds, sizes, sequence numbers) are BIGINT, since INTEGER is 32-bit
--   here, unlike SQLite's;
-- - AUTOINCREMENT becomes an identity column: never reused, increasing, as the paging and
--   event-resume code expect of seq (a value may be skipped after a crash, never repeated).

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE users (
    id            TEXT COLLATE "C" PRIMARY KEY,
    upn           TEXT COLLATE "C" NOT NULL,
    upn_lower     TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name  TEXT COLLATE "C" NOT NULL,
    password_hash TEXT COLLATE "C",
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE tokens (
    id         TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       INTEGER NOT NULL,
    hash       BYTEA NOT NULL UNIQUE,
    expires_ms BIGINT NOT NULL DEFAULT 0,
    csrf       TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id, kind);

CREATE TABLE teams (
    id               TEXT COLLATE "C" PRIMARY KEY,
    display_name     TEXT COLLATE "C" NOT NULL,
    description      TEXT COLLATE "C" NOT NULL DEFAULT '',
    allow_connectors INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT COLLATE "C" NOT NULL
);

CREATE TABLE channels (
    id              TEXT COLLATE "C" PRIMARY KEY,
    team_id         TEXT COLLATE "C" NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    display_name    TEXT COLLATE "C" NOT NULL,
    name_lower      TEXT COLLATE "C" NOT NULL,
    description     TEXT COLLATE "C" NOT NULL DEFAULT '',
    membership_type TEXT COLLATE "C" NOT NULL DEFAULT 'standard',
    is_general      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT COLLATE "C" NOT NULL,
    UNIQUE (team_id, name_lower)
);

CREATE TABLE members (
    id         TEXT COLLATE "C" PRIMARY KEY,
    team_id    TEXT COLLATE "C" NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       INTEGER NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    UNIQUE (team_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE messages (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    team_id      TEXT COLLATE "C" NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    channel_id   TEXT COLLATE "C" NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    created_at   TEXT COLLATE "C" NOT NULL,
    from_kind    TEXT COLLATE "C" NOT NULL,
    from_id      TEXT COLLATE "C" NOT NULL,
    from_name    TEXT COLLATE "C" NOT NULL,
    body_type    TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL,
    summary      TEXT COLLATE "C",
    attachments  TEXT COLLATE "C"
);
CREATE INDEX messages_channel ON messages (channel_id, seq);
