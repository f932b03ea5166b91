-- Teams directory (issue 21): a team is public (listed to everyone, anyone may join as a
-- member) or private (by invitation: owners add people). Existing teams stay private.

ALTER TABLE teams ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private';
CREATE INDEX teams_visibility ON teams (visibility, display_name);
