/*
 * sql_actions.h: the SQL of actions.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define ACTION_COLS                                                                                \
    "id, message_id, action_id, user_id, connector_id, team_id, channel_id, target, status, "      \
    "http_status, card_action_status, error, card_updated, created, updated"
SQL(SQL_ACTION_CREATE,
    "INSERT INTO action_executions (id, message_id, action_id, user_id, connector_id, "
    "team_id, channel_id, target, status, created, updated) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)")
SQL(SQL_ACTION_GET, "SELECT " ACTION_COLS " FROM action_executions WHERE id = ?")
SQL(SQL_ACTION_FINISH, "UPDATE action_executions SET status = ?, http_status = ?, "
                       "card_action_status = ?, error = ?, card_updated = ?, updated = ? "
                       "WHERE id = ?")
