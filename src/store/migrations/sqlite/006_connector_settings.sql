-- Connector configurations of every kind (incoming webhooks, connector apps, built-in service
-- connectors) keep their kind-specific fields as one JSON object: a connector app's entityId,
-- contentUrl, removeUrl; a service connector's secret and filters. app_type records the client
-- the configuration was made in ("teams", or "groups" for a group-mailbox feed).
ALTER TABLE connectors ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE connectors ADD COLUMN app_type TEXT NOT NULL DEFAULT 'teams';
