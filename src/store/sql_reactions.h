/*
 * sql_reactions.h: the SQL of reactions.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
/* One reaction per person per message: another type replaces it; the same type again keeps
 * the time it was first given. */
SQL(SQL_REACTION_SET, "INSERT INTO message_reactions (message_id, user_id, reaction_type, created) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT (message_id, user_id) DO UPDATE SET "
                      "reaction_type = excluded.reaction_type, created = excluded.created "
                      "WHERE message_reactions.reaction_type <> excluded.reaction_type")
SQL(SQL_REACTION_UNSET, "DELETE FROM message_reactions WHERE message_id = ? AND user_id = ? "
                        "AND reaction_type = ?")
#define REACTION_COLS                                                                              \
    "r.message_id, r.reaction_type, r.user_id, COALESCE(u.display_name, ''), r.created "
SQL(SQL_REACTION_OF_MESSAGE, "SELECT " REACTION_COLS "FROM message_reactions r LEFT JOIN users u "
                             "ON u.id = r.user_id WHERE r.message_id = ? "
                             "ORDER BY r.created, r.user_id")
/* The reactions to a page of messages: those of a channel with seq in [lo, hi]. */
SQL(SQL_REACTION_OF_CHANNEL_RANGE,
    "SELECT " REACTION_COLS "FROM message_reactions r JOIN messages m ON m.id = r.message_id "
    "LEFT JOIN users u ON u.id = r.user_id WHERE m.channel_id = ? AND m.seq >= ? AND m.seq <= ? "
    "ORDER BY r.created, r.user_id")
/* The reactions to a page of one message's replies (the reply_to index, not the channel's). */
SQL(SQL_REACTION_OF_REPLIES_RANGE,
    "SELECT " REACTION_COLS "FROM message_reactions r JOIN messages m ON m.id = r.message_id "
    "LEFT JOIN users u ON u.id = r.user_id WHERE m.reply_to = ? AND m.seq >= ? AND m.seq <= ? "
    "ORDER BY r.created, r.user_id")
/* The same over every channel: an event stream's replay. */
SQL(SQL_REACTION_OF_RANGE,
    "SELECT " REACTION_COLS "FROM message_reactions r JOIN messages m ON m.id = r.message_id "
    "LEFT JOIN users u ON u.id = r.user_id WHERE m.seq >= ? AND m.seq <= ? "
    "ORDER BY r.created, r.user_id")
