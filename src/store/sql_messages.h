/*
 * sql_messages.h: the SQL of messages.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define MESSAGE_COLS                                                                               \
    "m.seq, m.id, m.team_id, m.channel_id, m.created_at, m.from_kind, m.from_id, m.from_name, "    \
    "m.body_type, m.body, m.summary, m.attachments, m.from_image, m.reply_to, m.edited_at, "       \
    "m.deleted_at"
/* How many columns MESSAGE_COLS names (read_message reads them): a query may select more after
 * them (message_search.c). Keep the two in step. */
#define MESSAGE_NCOLS 16
#define MESSAGE_INSERT_ROW                                                                         \
    "INSERT INTO messages (id, team_id, channel_id, created_at, from_kind, from_id, "              \
    "from_name, body_type, body, summary, attachments, from_image, reply_to, search_text) "        \
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq"
SQL(SQL_MESSAGE_INSERT, MESSAGE_INSERT_ROW)
/* PostgreSQL only (a data-modifying WITH, which SQLite lacks): a webhook post's message and
 * its delivery-log row in one statement, one round trip (connectors.c). */
SQL(SQL_MESSAGE_DELIVERY_INSERT,
    "WITH m AS (" MESSAGE_INSERT_ROW "), l AS (INSERT INTO deliveries (connector_id, at, size, "
    "status, error, message_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq) "
    "SELECT m.seq, l.seq FROM m, l")
/* A page's messages, then whether each has reactions and mentions (messages.c asks for the
 * page's only when one has). */
#define PAGE_COLS                                                                                  \
    MESSAGE_COLS ", EXISTS (SELECT 1 FROM message_reactions r WHERE r.message_id = m.id), "        \
                 "EXISTS (SELECT 1 FROM message_mentions x WHERE x.message_id = m.id)"
/* A channel's list is its root messages, as Graph's: replies are read from their parent. Keyset
 * paging: the page before seq (the previous page's last, its nextLink's $skiptoken) on the
 * (channel_id, seq) index, newest first; no OFFSET, so a page deep in the channel costs what
 * the newest does. */
SQL(SQL_MESSAGE_PAGE, "SELECT " PAGE_COLS " FROM messages m WHERE m.channel_id = ? AND "
                      "m.reply_to IS NULL AND m.seq < ? ORDER BY m.seq DESC LIMIT ?")
SQL(SQL_MESSAGE_REPLIES, "SELECT " PAGE_COLS " FROM messages m WHERE m.reply_to = ? AND "
                         "m.seq < ? ORDER BY m.seq DESC LIMIT ?")
SQL(SQL_MESSAGE_REPLY_COUNT, "SELECT COUNT(*) FROM messages WHERE reply_to = ?")
SQL(SQL_MESSAGE_REF, "SELECT channel_id, from_kind, from_id, reply_to, deleted_at FROM messages "
                     "WHERE id = ?")
SQL(SQL_MESSAGE_EDIT, "UPDATE messages SET body_type = ?, body = ?, edited_at = ? "
                      "WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_MESSAGE_SOFT_DELETE, "UPDATE messages SET deleted_at = ? WHERE id = ? AND "
                             "deleted_at IS NULL")
SQL(SQL_MESSAGE_UNDELETE, "UPDATE messages SET deleted_at = NULL WHERE id = ? AND "
                          "deleted_at IS NOT NULL")
SQL(SQL_MESSAGE_SINCE_ALL, "SELECT " MESSAGE_COLS " FROM messages m WHERE m.seq > ? "
                           "ORDER BY m.seq LIMIT ?")
SQL(SQL_MESSAGE_SINCE_FOR_USER, "SELECT " MESSAGE_COLS " FROM messages m JOIN members b "
                                "ON b.team_id = m.team_id AND b.user_id = ? WHERE m.seq > ? "
                                "ORDER BY m.seq LIMIT ?")
SQL(SQL_MESSAGE_LAST_SEQ, "SELECT COALESCE(MAX(seq), 0) FROM messages")
SQL(SQL_MESSAGE_GET, "SELECT " MESSAGE_COLS " FROM messages m WHERE m.id = ?")
SQL(SQL_MESSAGE_CARD_SET, "UPDATE messages SET attachments = ? WHERE id = ?")
SQL(SQL_MESSAGE_FEED, "SELECT " MESSAGE_COLS " FROM messages m JOIN connectors c "
                      "ON c.id = m.from_id WHERE m.team_id = ? AND m.from_kind = "
                      "'application' AND c.app_type = ? AND m.seq < ? "
                      "ORDER BY m.seq DESC LIMIT ?")
