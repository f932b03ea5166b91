-- The conversation around a message (issue 20): replies one level deep (reply_to: the parent
-- message's id, NULL for a message of the channel), edits (edited_at), soft delete and its undo
-- (deleted_at: NULL while the message is there; reads show an empty body otherwise), and
-- reactions, one per person per message (another type replaces it, as in Teams).
ALTER TABLE messages ADD COLUMN reply_to TEXT;
ALTER TABLE messages ADD COLUMN edited_at TEXT;
ALTER TABLE messages ADD COLUMN deleted_at TEXT;
-- A message's replies in order; root messages have no entry.
CREATE INDEX messages_replies ON messages (reply_to, seq) WHERE reply_to IS NOT NULL;

CREATE TABLE message_reactions (
    message_id    TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reaction_type TEXT NOT NULL,
    created       TEXT NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
