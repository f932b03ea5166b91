/*
 * sql_connectors.h: the SQL of connectors.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define CONNECTOR_COLS                                                                             \
    "id, kind, connector_id, team_id, channel_id, name, image_type, created_by, created_at, "      \
    "url_format, url_nonce, deleted_at IS NOT NULL, app_type"
SQL(SQL_SETTING_GET, "SELECT value FROM settings WHERE key = ?")
SQL(SQL_SETTING_DELETE, "DELETE FROM settings WHERE key = ?")
SQL(SQL_SETTING_UPSERT, "INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
SQL(SQL_CONNECTOR_INSERT,
    "INSERT INTO connectors (id, kind, connector_id, team_id, channel_id, name, "
    "image_type, image, created_by, created_at, url_format, url_nonce, settings, "
    "app_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_CONNECTOR_GET, "SELECT " CONNECTOR_COLS " FROM connectors WHERE id = ?")
SQL(SQL_CONNECTOR_BY_KEY, "SELECT " CONNECTOR_COLS " FROM connectors WHERE url_nonce = ?")
SQL(SQL_CONNECTOR_LIST, "SELECT " CONNECTOR_COLS " FROM connectors WHERE channel_id = ? "
                        "AND deleted_at IS NULL ORDER BY created_at, id")
SQL(SQL_CONNECTOR_RENAME, "UPDATE connectors SET name = ? WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_CONNECTOR_SET_URL, "UPDATE connectors SET url_format = ?, url_nonce = ? "
                           "WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_CONNECTOR_DELETE, "UPDATE connectors SET deleted_at = ?, image = NULL, image_type = '' "
                          "WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_CONNECTOR_SETTINGS, "SELECT settings FROM connectors WHERE id = ?")
SQL(SQL_CONNECTOR_SET_NAME_SETTINGS, "UPDATE connectors SET name = ?, settings = ? "
                                     "WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_CONNECTOR_SET_SETTINGS_ONLY,
    "UPDATE connectors SET settings = ? WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_CONNECTOR_IMAGE, "SELECT image_type, image FROM connectors "
                         "WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_DELIVERY_INSERT,
    "INSERT INTO deliveries (connector_id, at, size, status, error, message_id) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq")
SQL(SQL_DELIVERY_PRUNE, "DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries "
                        "WHERE connector_id = ? AND seq <= ("
                        "SELECT seq FROM deliveries WHERE connector_id = ? "
                        "ORDER BY seq DESC LIMIT 1 OFFSET ?) ORDER BY seq LIMIT ?)")
SQL(SQL_DELIVERY_LIST, "SELECT seq, connector_id, at, size, status, error, message_id "
                       "FROM deliveries WHERE connector_id = ? ORDER BY seq DESC LIMIT ?")
