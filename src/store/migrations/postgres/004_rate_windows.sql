-- Webhook rate limits shared by several server processes (PostgreSQL twin of
-- ../sqlite/004_rate_windows.sql): one row per webhook and one-second window.

CREATE TABLE rate_windows (
    connector_id TEXT COLLATE "C" NOT NULL,
    window_s     BIGINT NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (connector_id, window_s)
);
