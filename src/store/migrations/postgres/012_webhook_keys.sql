-- Webhook keys (PostgreSQL twin of ../sqlite/012_webhook_keys.sql): the key slot of a
-- connector-shaped webhook URL holds the configuration's url_nonce, 32 lower-case hex digits of
-- 128 random bits that every configuration already has (rotated by "Update URL", never shown
-- before). Posts find their configuration by it, so it gets a unique index; no row changes.
CREATE UNIQUE INDEX connectors_url_key ON connectors (url_nonce);
