-- Connectors registered in the self-hosted Connector Developer Dashboard. The id is the
-- connector id; app_id is the generated app package's manifest id and catalog_id the
-- organisation catalog entry (apps.id) the registration publishes. The package is kept as
-- generated so that downloads return exactly what was published.

CREATE TABLE connector_registrations (
    id                TEXT PRIMARY KEY,
    app_id            TEXT NOT NULL UNIQUE,
    catalog_id        TEXT NOT NULL,
    name              TEXT NOT NULL,
    short_description TEXT NOT NULL,
    long_description  TEXT NOT NULL,
    website_url       TEXT NOT NULL,
    configuration_url TEXT NOT NULL,
    valid_domains     TEXT NOT NULL DEFAULT '[]',
    actions_enabled   INTEGER NOT NULL DEFAULT 0,
    actions_url       TEXT NOT NULL DEFAULT '',
    version           TEXT NOT NULL,
    logo              BLOB NOT NULL,
    outline           BLOB NOT NULL,
    package           BLOB NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX connector_registrations_creator ON connector_registrations (created_by);
