-- Mentions (PostgreSQL twin of ../sqlite/015_mentions.sql): one row per <at id="N"> of a
-- message, naming a member of the team (target_kind 'user', target_id the user's id) or the
-- message's channel ('channel', the channel's id). channel_id and seq repeat the message's so
-- that a page of a channel (or an event stream's replay, by seq alone) reads its mentions from
-- an index, and mention counts find a channel's mentions of a person after their read position from the index alone.
CREATE TABLE message_mentions (
    message_id   TEXT COLLATE "C" NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    mention_id   BIGINT NOT NULL,
    channel_id   TEXT COLLATE "C" NOT NULL,
    seq          BIGINT NOT NULL,
    target_kind  TEXT COLLATE "C" NOT NULL,
    target_id    TEXT COLLATE "C" NOT NULL,
    mention_text TEXT NOT NULL,
    display_name TEXT NOT NULL,
    PRIMARY KEY (message_id, mention_id)
);
CREATE INDEX message_mentions_channel ON message_mentions (channel_id, seq, target_id);
CREATE INDEX message_mentions_seq ON message_mentions (seq);
