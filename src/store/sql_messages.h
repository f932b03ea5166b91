/*
 * sql_messages.h: the SQL of messages.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define MESSAGE_COLS                                                                               \
    "m.seq, m.id, m.team_id, m.channel_id, m.created_at, m.from_kind, m.from_id, m.from_name, "    \
    "m.body_type, m.body, m.summary, m.attachments, m.from_image"
/* How many columns MESSAGE_COLS names (read_message reads them): a query may select more after
 * them (message_search.c). Keep the two in step. */
#define MESSAGE_NCOLS 13
SQL(SQL_MESSAGE_INSERT,
    "INSERT INTO messages (id, team_id, channel_id, created_at, from_kind, from_id, "
    "from_name, body_type, body, summary, attachments, from_image, search_text) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq")
SQL(SQL_MESSAGE_PAGE, "SELECT seq, id, team_id, channel_id, created_at, from_kind, from_id, "
                      "from_name, body_type, body, summary, attachments, from_image FROM messages "
                      "WHERE channel_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?")
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
