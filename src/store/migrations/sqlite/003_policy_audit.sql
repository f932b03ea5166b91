-- Admin policy: the group-level connector switch (NULL = not set, the default applies), the
-- audit log of policy and connector changes, and the sender's avatar on connector messages.

ALTER TABLE teams ADD COLUMN connectors_enabled INTEGER;

ALTER TABLE messages ADD COLUMN from_image TEXT;

CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    before     TEXT,
    after      TEXT
);
