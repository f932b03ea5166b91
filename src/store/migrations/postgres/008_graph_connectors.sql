-- Graph connectors (PostgreSQL twin of ../sqlite/008_graph_connectors.sql). The full-text
-- index is a tsvector column with a GIN index instead of an FTS5 table; search_title and
-- search_body keep the indexed text for the highlights.

CREATE TABLE gc_registrations (
    id           TEXT COLLATE "C" PRIMARY KEY,
    app_id       TEXT COLLATE "C" REFERENCES apps (id) ON DELETE SET NULL,
    display_name TEXT COLLATE "C" NOT NULL,
    secret_hash  BYTEA NOT NULL,
    public_key   TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_by   TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX gc_registrations_app ON gc_registrations (app_id);

CREATE TABLE gc_switches (
    app_id     TEXT COLLATE "C" PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    enabled    INTEGER NOT NULL,
    ticket     TEXT COLLATE "C" NOT NULL,
    job_id     TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_by TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE gc_connections (
    pk           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    owner        TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    description  TEXT COLLATE "C" NOT NULL DEFAULT '',
    state        TEXT COLLATE "C" NOT NULL,
    connector_id TEXT COLLATE "C" NOT NULL DEFAULT '',
    extra        TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    schema_json  TEXT COLLATE "C",
    created_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX gc_connections_owner ON gc_connections (owner);

CREATE TABLE gc_operations (
    id          TEXT COLLATE "C" PRIMARY KEY,
    conn_pk     BIGINT NOT NULL REFERENCES gc_connections (pk) ON DELETE CASCADE,
    status      TEXT COLLATE "C" NOT NULL,
    schema_json TEXT COLLATE "C" NOT NULL,
    error       TEXT COLLATE "C",
    created_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE gc_items (
    pk           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn_pk      BIGINT NOT NULL REFERENCES gc_connections (pk) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    properties   TEXT COLLATE "C" NOT NULL,
    content      TEXT COLLATE "C" NOT NULL DEFAULT '',
    content_type TEXT COLLATE "C" NOT NULL DEFAULT 'text',
    acl          TEXT COLLATE "C" NOT NULL,
    updated_at   TEXT COLLATE "C" NOT NULL,
    search_title TEXT NOT NULL DEFAULT '',
    search_body  TEXT NOT NULL DEFAULT '',
    fts          TSVECTOR NOT NULL DEFAULT ''::tsvector,
    UNIQUE (conn_pk, id)
);
CREATE INDEX gc_items_fts ON gc_items USING GIN (fts);

CREATE TABLE gc_acl (
    item_pk BIGINT NOT NULL REFERENCES gc_items (pk) ON DELETE CASCADE,
    conn_pk BIGINT NOT NULL,
    key     TEXT COLLATE "C" NOT NULL,
    deny    INTEGER NOT NULL,
    PRIMARY KEY (item_pk, deny, key)
);

CREATE TABLE gc_groups (
    conn_pk      BIGINT NOT NULL REFERENCES gc_connections (pk) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    display_name TEXT COLLATE "C" NOT NULL DEFAULT '',
    description  TEXT COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (conn_pk, id)
);

CREATE TABLE gc_group_members (
    conn_pk    BIGINT NOT NULL,
    group_id   TEXT COLLATE "C" NOT NULL,
    member_id  TEXT COLLATE "C" NOT NULL,
    type       TEXT COLLATE "C" NOT NULL,
    member_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (conn_pk, group_id, member_id),
    FOREIGN KEY (conn_pk, group_id) REFERENCES gc_groups (conn_pk, id) ON DELETE CASCADE
);
CREATE INDEX gc_group_members_key ON gc_group_members (member_key);
