-- Uploaded app packages (PostgreSQL twin of ../sqlite/005_apps.sql).

CREATE TABLE apps (
    id                TEXT COLLATE "C" PRIMARY KEY,
    external_id       TEXT COLLATE "C" NOT NULL,
    team_id           TEXT COLLATE "C" REFERENCES teams (id) ON DELETE CASCADE,
    version           TEXT COLLATE "C" NOT NULL,
    display_name      TEXT COLLATE "C" NOT NULL,
    description       TEXT COLLATE "C" NOT NULL,
    developer         TEXT COLLATE "C" NOT NULL,
    connector_id      TEXT COLLATE "C" NOT NULL DEFAULT '',
    configuration_url TEXT COLLATE "C" NOT NULL DEFAULT '',
    valid_domains     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    icon              BYTEA,
    package           BYTEA NOT NULL,
    created_by        TEXT COLLATE "C" NOT NULL,
    created_at        TEXT COLLATE "C" NOT NULL,
    updated_at        TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX apps_external ON apps (external_id, COALESCE(team_id, ''));
CREATE INDEX apps_connector ON apps (connector_id);
