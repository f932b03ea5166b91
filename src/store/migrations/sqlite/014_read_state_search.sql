-- Read state and message search (issue 20).
--
-- read_states: how far each person has read each channel (the seq and id of the last message
-- read). Unread counts are computed from it and the messages_channel index, never stored.
--
-- messages.search_text: the words a message is found by: its text (HTML tags removed) and the
-- text of its cards (titles, texts, facts, Adaptive Card TextBlocks), written by the store in C
-- when the message is stored or its card changes (store/message_search.c), so SQLite and
-- PostgreSQL index the same words. NULL marks a message stored before this migration: the
-- store fills those in batches when it opens. message_fts is an FTS5 index with search_text
-- as its external content, kept in step by the triggers below.
CREATE TABLE read_states (
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id    TEXT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    last_read_seq INTEGER NOT NULL,
    last_read_id  TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (user_id, channel_id)
);

-- Unread counts walk a channel's messages after the read position and skip the person's own
-- and deleted ones (013's deleted_at): the index answers that alone.
CREATE INDEX messages_unread ON messages (channel_id, seq, from_id, deleted_at);

ALTER TABLE messages ADD COLUMN search_text TEXT;

CREATE VIRTUAL TABLE message_fts USING fts5 (search_text, content = 'messages',
    content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.search_text IS NOT NULL
BEGIN
    INSERT INTO message_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.search_text IS NOT NULL
BEGIN
    INSERT INTO message_fts (message_fts, rowid, search_text)
        VALUES ('delete', old.seq, old.search_text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF search_text ON messages
BEGIN
    INSERT INTO message_fts (message_fts, rowid, search_text)
        SELECT 'delete', old.seq, old.search_text WHERE old.search_text IS NOT NULL;
    INSERT INTO message_fts (rowid, search_text)
        SELECT new.seq, new.search_text WHERE new.search_text IS NOT NULL;
END;

-- The messages still to index (a partial index: empty once the backfill is done).
CREATE INDEX messages_unindexed ON messages (seq) WHERE search_text IS NULL;
