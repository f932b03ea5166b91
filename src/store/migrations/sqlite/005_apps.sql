-- Uploaded app packages: published to the organisation catalog (team_id NULL) or uploaded to one
-- team (its "Uploaded" section). A new version of the same app replaces the row's content.

CREATE TABLE apps (
    id                TEXT PRIMARY KEY,
    external_id       TEXT NOT NULL,
    team_id           TEXT REFERENCES teams (id) ON DELETE CASCADE,
    version           TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    description       TEXT NOT NULL,
    developer         TEXT NOT NULL,
    connector_id      TEXT NOT NULL DEFAULT '',
    configuration_url TEXT NOT NULL DEFAULT '',
    valid_domains     TEXT NOT NULL DEFAULT '[]',
    icon              BLOB,
    package           BLOB NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX apps_external ON apps (external_id, COALESCE(team_id, ''));
CREATE INDEX apps_connector ON apps (connector_id);
