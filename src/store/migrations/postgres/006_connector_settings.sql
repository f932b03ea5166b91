-- (PostgreSQL twin of ../sqlite/006_connector_settings.sql.)
ALTER TABLE connectors ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE connectors ADD COLUMN app_type TEXT NOT NULL DEFAULT 'teams';
