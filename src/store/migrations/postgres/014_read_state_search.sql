-- Read state and message search (PostgreSQL twin of ../sqlite/014_read_state_search.sql).
--
-- read_states: how far each person has read each channel (the seq and id of the last message
-- read). Unread counts are computed from it and the messages_channel index, never stored.
--
-- messages.search_text: the words a message is found by (its text without HTML tags, and its
-- cards' text), written by the store in C (store/message_search.c) so both stores index the
-- same words; NULL marks a message stored before this migration (filled in batches when the
-- store opens). search_tsv is its tsvector with a GIN index. Every run of ASCII characters
-- other than letters and digits separates words, as the query side splits them (core/words.h),
-- so "4.2.1" is the words 4, 2 and 1 here as in SQLite's unicode61 tokenizer (a class such as
-- [:alnum:] would follow the column's "C" collation and drop every non-ASCII letter).
CREATE TABLE read_states (
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id    TEXT COLLATE "C" NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    last_read_seq BIGINT NOT NULL,
    last_read_id  TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, channel_id)
);

-- Unread counts walk a channel's messages after the read position and skip the person's own
-- and deleted ones (013's deleted_at): the index answers that alone.
CREATE INDEX messages_unread ON messages (channel_id, seq, from_id, deleted_at);

ALTER TABLE messages ADD COLUMN search_text TEXT COLLATE "C";
ALTER TABLE messages ADD COLUMN search_tsv TSVECTOR GENERATED ALWAYS AS
    (to_tsvector('simple', regexp_replace(COALESCE(search_text, ''),
        '[\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007f]+', ' ', 'g')))
    STORED;
CREATE INDEX messages_search ON messages USING GIN (search_tsv);

-- The messages still to index (a partial index: empty once the backfill is done).
CREATE INDEX messages_unindexed ON messages (seq) WHERE search_text IS NULL;
