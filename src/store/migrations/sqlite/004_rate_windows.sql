-- Webhook rate limits shared by several server processes: one row per webhook and one-second
-- window, counted with an upsert. Used on PostgreSQL (several processes); a single SQLite
-- process keeps its token buckets in memory, but the schema stays the same on both.

CREATE TABLE rate_windows (
    connector_id TEXT NOT NULL,
    window_s     INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (connector_id, window_s)
);
