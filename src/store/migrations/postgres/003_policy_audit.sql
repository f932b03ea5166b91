-- Admin policy: the group-level connector switch (NULL = not set, the default applies), the
-- audit log of policy and connector changes, and the sender's avatar on connector messages
-- (PostgreSQL twin of ../sqlite/003_policy_audit.sql; the conventions are in 001_init.sql).

ALTER TABLE teams ADD COLUMN connectors_enabled INTEGER;

ALTER TABLE messages ADD COLUMN from_image TEXT COLLATE "C";

CREATE TABLE audit (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TEXT COLLATE "C" NOT NULL,
    actor_id   TEXT COLLATE "C" NOT NULL,
    actor_name TEXT COLLATE "C" NOT NULL,
    action     TEXT COLLATE "C" NOT NULL,
    target     TEXT COLLATE "C" NOT NULL,
    before     TEXT COLLATE "C",
    after      TEXT COLLATE "C"
);
