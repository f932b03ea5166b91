-- Teams directory (PostgreSQL twin of ../sqlite/018_team_visibility.sql).

ALTER TABLE teams ADD COLUMN visibility TEXT COLLATE "C" NOT NULL DEFAULT 'private';
CREATE INDEX teams_visibility ON teams (visibility, display_name);
