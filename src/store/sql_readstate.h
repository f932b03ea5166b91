/*
 * sql_readstate.h: the SQL of readstate.c (private to store/).
 *
 * No include guard on purpose: see sql.h.
 */
SQL(SQL_READ_STATE_SET,
    "INSERT INTO read_states (user_id, channel_id, last_read_seq, last_read_id, updated_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, channel_id) DO UPDATE SET "
    "last_read_seq = excluded.last_read_seq, last_read_id = excluded.last_read_id, "
    "updated_at = excluded.updated_at")
/* One row per channel of the person's teams; the count (replies included, soft-deleted messages
 * not) walks the index messages_unread (channel_id, seq, from_id, deleted_at) from the read
 * position only, never the rows, and stops at STORE_UNREAD_MAX (readstate.h): a person who has
 * read nothing of busy channels costs 200 x that, not every message stored. A connector's
 * from_id is its configuration's GUID, never a person's id, so from_id alone tells the
 * person's own messages. */
/* The mention count walks the channel's mentions after the read position that name the person
 * or the channel (the covering index message_mentions_channel (channel_id, seq, target_id):
 * mentions are far fewer than messages) and looks each message up by seq, its primary key, for
 * its author and deletion; a message mentioning both counts once (DISTINCT seq). */
SQL(SQL_CHANNEL_STATES,
    "SELECT c.team_id, c.id, COALESCE(r.last_read_id, ''), "
    "(SELECT COUNT(*) FROM (SELECT 1 FROM messages m WHERE m.channel_id = c.id AND "
    "m.seq > COALESCE(r.last_read_seq, 0) AND m.from_id <> ? AND m.deleted_at IS NULL "
    "LIMIT ?) u), "
    "(SELECT COUNT(DISTINCT x.seq) FROM message_mentions x JOIN messages m "
    "ON m.seq = x.seq WHERE x.channel_id = c.id AND x.seq > COALESCE(r.last_read_seq, 0) "
    "AND x.target_id IN (?, c.id) AND m.from_id <> ? AND m.deleted_at IS NULL) "
    "FROM members b JOIN channels c ON c.team_id = b.team_id "
    "LEFT JOIN read_states r ON r.user_id = b.user_id AND r.channel_id = c.id "
    "WHERE b.user_id = ? ORDER BY c.team_id, c.id")
