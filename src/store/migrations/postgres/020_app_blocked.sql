-- Apps: block/allow (PostgreSQL twin of ../sqlite/020_app_blocked.sql).

ALTER TABLE apps ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
