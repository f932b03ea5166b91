-- Connectors registered in the Connector Developer Dashboard (PostgreSQL twin of
-- ../sqlite/010_connector_registrations.sql).

CREATE TABLE connector_registrations (
    id                TEXT COLLATE "C" PRIMARY KEY,
    app_id            TEXT COLLATE "C" NOT NULL UNIQUE,
    catalog_id        TEXT COLLATE "C" NOT NULL,
    name              TEXT COLLATE "C" NOT NULL,
    short_description TEXT COLLATE "C" NOT NULL,
    long_description  TEXT COLLATE "C" NOT NULL,
    website_url       TEXT COLLATE "C" NOT NULL,
    configuration_url TEXT COLLATE "C" NOT NULL,
    valid_domains     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    actions_enabled   INTEGER NOT NULL DEFAULT 0,
    actions_url       TEXT COLLATE "C" NOT NULL DEFAULT '',
    version           TEXT COLLATE "C" NOT NULL,
    logo              BYTEA NOT NULL,
    outline           BYTEA NOT NULL,
    package           BYTEA NOT NULL,
    created_by        TEXT COLLATE "C" NOT NULL,
    created_at        TEXT COLLATE "C" NOT NULL,
    updated_at        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX connector_registrations_creator ON connector_registrations (created_by);
