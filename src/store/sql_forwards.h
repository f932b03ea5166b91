/*
 * sql_forwards.h: the SQL of forwards.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined.
 */
#define FORWARD_COLS                                                                               \
    "id, team_id, channel_id, name, kind, url, recipients, include_people, connectors, "           \
    "keywords, created_by, created, updated, colors"
#define DELIVERY_COLS                                                                              \
    "id, forward_id, message_id, status, attempts, http_status, error, response, last_attempt, "   \
    "created_ms"
SQL(SQL_FORWARD_INSERT,
    "INSERT INTO forwards (" FORWARD_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_FORWARD_GET, "SELECT " FORWARD_COLS " FROM forwards WHERE id = ?")
SQL(SQL_FORWARD_LIST,
    "SELECT " FORWARD_COLS " FROM forwards WHERE channel_id = ? ORDER BY created, id")
SQL(SQL_FORWARD_UPDATE, "UPDATE forwards SET name = ?, url = ?, recipients = ?, include_people = "
                        "?, connectors = ?, keywords = ?, colors = ?, updated = ? WHERE id = ?")
SQL(SQL_FORWARD_DELETE, "DELETE FROM forwards WHERE id = ?")
SQL(SQL_FORWARD_OF_CHANNEL,
    "SELECT id, include_people, connectors, keywords, colors FROM forwards WHERE channel_id = ?")
SQL(SQL_FORWARD_DELIVERY_INSERT,
    "INSERT INTO forward_deliveries (id, forward_id, message_id, created_ms) VALUES (?, ?, ?, ?)")
SQL(SQL_FORWARD_DELIVERIES, "SELECT " DELIVERY_COLS " FROM forward_deliveries WHERE forward_id = "
                            "? ORDER BY created_ms DESC, id DESC LIMIT ?")
SQL(SQL_FORWARD_DELIVERY_GET, "SELECT " DELIVERY_COLS " FROM forward_deliveries WHERE id = ?")
SQL(SQL_FORWARD_DELIVERY_RECORD,
    "UPDATE forward_deliveries SET status = ?, attempts = ?, http_status = ?, error = ?, "
    "response = ?, last_attempt = ? WHERE id = ?")
SQL(SQL_FORWARD_DELIVERY_PENDING,
    "UPDATE forward_deliveries SET status = 'pending', error = '' WHERE id = ?")
