-- Graph connectors: app registrations (client credentials), the admin's on/off switch per
-- catalog app, external connections with their schema and operations, external items with
-- their ACL entries, external groups and their members, and the full-text index (FTS5).
--
-- ACL entries and group members are stored as principal keys, so that search trims by ACL in
-- SQL: 'u:<user id>', 'g:<team id>' (a Graph group is a team), 'e' (everyone), 'eg'
-- (everyoneExceptGuests), 'x:<connection pk>:<external group id>'.

CREATE TABLE gc_registrations (
    id           TEXT PRIMARY KEY,           -- the client id (GUID)
    app_id       TEXT REFERENCES apps (id) ON DELETE SET NULL,
    display_name TEXT NOT NULL,
    secret_hash  BLOB NOT NULL,              -- SHA-256 of the secret (32 random bytes)
    public_key   TEXT NOT NULL DEFAULT '',   -- PEM public key of a certificate credential
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX gc_registrations_app ON gc_registrations (app_id);

CREATE TABLE gc_switches (
    app_id     TEXT PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    enabled    INTEGER NOT NULL,
    ticket     TEXT NOT NULL,                -- the connectorsTicket of the last enable
    job_id     TEXT NOT NULL DEFAULT '',     -- the outbox job of the last notification
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE gc_connections (
    pk           INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    owner        TEXT NOT NULL,              -- the registration (client id) that created it
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,              -- draft | ready
    connector_id TEXT NOT NULL DEFAULT '',
    extra        TEXT NOT NULL DEFAULT '{}', -- configuration, activitySettings, searchSettings
    schema_json  TEXT,                       -- NULL until a schema operation completed
    created_at   TEXT NOT NULL
);
CREATE INDEX gc_connections_owner ON gc_connections (owner);

CREATE TABLE gc_operations (
    id          TEXT PRIMARY KEY,
    conn_pk     INTEGER NOT NULL REFERENCES gc_connections (pk) ON DELETE CASCADE,
    status      TEXT NOT NULL,               -- inprogress | completed | failed
    schema_json TEXT NOT NULL,
    error       TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE gc_items (
    pk           INTEGER PRIMARY KEY AUTOINCREMENT,
    conn_pk      INTEGER NOT NULL REFERENCES gc_connections (pk) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    properties   TEXT NOT NULL,
    content      TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT 'text',
    acl          TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (conn_pk, id)
);

CREATE TABLE gc_acl (
    item_pk INTEGER NOT NULL REFERENCES gc_items (pk) ON DELETE CASCADE,
    conn_pk INTEGER NOT NULL,                 -- the item's connection: search filters by it here
    key     TEXT NOT NULL,
    deny    INTEGER NOT NULL,
    PRIMARY KEY (item_pk, deny, key)
) WITHOUT ROWID;

CREATE TABLE gc_groups (
    conn_pk      INTEGER NOT NULL REFERENCES gc_connections (pk) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (conn_pk, id)
);

CREATE TABLE gc_group_members (
    conn_pk    INTEGER NOT NULL,
    group_id   TEXT NOT NULL,
    member_id  TEXT NOT NULL,
    type       TEXT NOT NULL,                -- user | group | externalGroup
    member_key TEXT NOT NULL,
    PRIMARY KEY (conn_pk, group_id, member_id),
    FOREIGN KEY (conn_pk, group_id) REFERENCES gc_groups (conn_pk, id) ON DELETE CASCADE
);
CREATE INDEX gc_group_members_key ON gc_group_members (member_key);

-- rowid = gc_items.pk; title: the searchable properties, body: the content as text.
CREATE VIRTUAL TABLE gc_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
