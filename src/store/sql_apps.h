/*
 * sql_apps.h: the SQL of apps.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define APP_COLS                                                                                   \
    "id, external_id, COALESCE(team_id, ''), version, display_name, description, developer, "      \
    "connector_id, configuration_url, valid_domains, created_by, created_at, updated_at"
SQL(SQL_APP_FIND_EXTERNAL, "SELECT id, created_at FROM apps WHERE external_id = ? "
                           "AND COALESCE(team_id, '') = ?")
SQL(SQL_APP_UPDATE, "UPDATE apps SET version = ?, display_name = ?, description = ?, "
                    "developer = ?, connector_id = ?, configuration_url = ?, "
                    "valid_domains = ?, icon = ?, package = ?, updated_at = ? WHERE id = ?")
SQL(SQL_APP_INSERT, "INSERT INTO apps (id, external_id, team_id, version, display_name, "
                    "description, developer, connector_id, configuration_url, valid_domains, "
                    "icon, package, created_by, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_APP_GET, "SELECT " APP_COLS " FROM apps WHERE id = ?")
SQL(SQL_APP_LIST, "SELECT " APP_COLS " FROM apps WHERE team_id IS NULL OR team_id = ? "
                  "ORDER BY created_at, id")
SQL(SQL_APP_BY_CONNECTOR, "SELECT " APP_COLS " FROM apps WHERE connector_id = ? AND "
                          "(team_id IS NULL OR team_id = ?) ORDER BY team_id IS NULL LIMIT 1")
SQL(SQL_APP_DELETE, "DELETE FROM apps WHERE id = ?")
SQL(SQL_APP_ICON, "SELECT icon FROM apps WHERE id = ?")
