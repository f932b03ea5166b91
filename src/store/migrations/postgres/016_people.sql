-- People (PostgreSQL twin of ../sqlite/016_people.sql): an account can be disabled, deleted
-- (the row stays, as a former member: messages keep their sender and connectors their creator;
-- the UPN is freed), be an organisation guest, and be told to change its password at next
-- sign-in. Credentials record when they were last used (at most once a minute per credential).
ALTER TABLE users ADD COLUMN account_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN is_guest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN deleted_at TEXT COLLATE "C";
ALTER TABLE tokens ADD COLUMN last_used_ms BIGINT NOT NULL DEFAULT 0;
