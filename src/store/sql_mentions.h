/*
 * sql_mentions.h: the SQL of mentions.c (private to store/).
 *
 * No include guard on purpose: see sql.h.
 */
SQL(SQL_MENTION_INSERT,
    "INSERT INTO message_mentions (message_id, mention_id, channel_id, seq, target_kind, "
    "target_id, mention_text, display_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
/* An edit's mentions replace the message's: its channel and seq are the stored message's. */
SQL(SQL_MENTION_DELETE_OF, "DELETE FROM message_mentions WHERE message_id = ?")
SQL(SQL_MENTION_INSERT_FOR,
    "INSERT INTO message_mentions (message_id, mention_id, channel_id, seq, target_kind, "
    "target_id, mention_text, display_name) SELECT id, ?, channel_id, seq, ?, ?, ?, ? "
    "FROM messages WHERE id = ?")
#define MENTION_COLS "message_id, mention_id, target_kind, target_id, mention_text, display_name "
SQL(SQL_MENTION_OF_MESSAGE,
    "SELECT " MENTION_COLS "FROM message_mentions WHERE message_id = ? ORDER BY mention_id")
/* The mentions of a page of a channel's messages or of one message's replies (replies are in
 * their parent's channel): the channel's with seq in [lo, hi]. */
SQL(SQL_MENTION_OF_CHANNEL_RANGE, "SELECT " MENTION_COLS "FROM message_mentions WHERE "
                                  "channel_id = ? AND seq >= ? AND seq <= ? ORDER BY mention_id")
/* The same over every channel: an event stream's replay or its live path. */
SQL(SQL_MENTION_OF_RANGE,
    "SELECT " MENTION_COLS "FROM message_mentions WHERE seq >= ? AND seq <= ? ORDER BY mention_id")
