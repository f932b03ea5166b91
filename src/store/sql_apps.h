/*
 * sql_apps.h: the SQL of apps.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define APP_COLS                                                                                   \
    "id, external_id, COALESCE(team_id, ''), version, display_name, description, developer, "      \
    "connector_id, configuration_url, valid_domains, created_by, created_at, updated_at, blocked"
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
/* The administrator's list: every app (organisation and uploaded to a team) with its team's
 * name and its live configurations. An organisation app's configurations are those of teams
 * that have no uploaded app with the same connector id (store_app_by_connector prefers the
 * team's own). */
#define APP_USAGE_FROM                                                                             \
    "SELECT " APP_COLS ", COALESCE((SELECT t.display_name FROM teams t "                           \
    "WHERE t.id = apps.team_id), ''), "                                                            \
    "(SELECT COUNT(*) FROM connectors c WHERE " APP_USED_BY "), "                                  \
    "(SELECT COUNT(DISTINCT c.team_id) FROM connectors c WHERE " APP_USED_BY ") FROM apps "
#define APP_USED_BY                                                                                \
    "c.deleted_at IS NULL AND c.kind = 'app' AND apps.connector_id <> '' "                         \
    "AND c.connector_id = apps.connector_id AND (c.team_id = apps.team_id OR "                     \
    "(apps.team_id IS NULL AND NOT EXISTS (SELECT 1 FROM apps o WHERE o.team_id = c.team_id "      \
    "AND o.connector_id = c.connector_id)))"
SQL(SQL_APP_USAGE_LIST, APP_USAGE_FROM "ORDER BY apps.team_id IS NOT NULL, apps.display_name, "
                                       "apps.id")
SQL(SQL_APP_USAGE_GET, APP_USAGE_FROM "WHERE apps.id = ?")
SQL(SQL_APP_SET_BLOCKED, "UPDATE apps SET blocked = ? WHERE id = ?")
SQL(SQL_APP_EXTERNAL_BLOCKED, "SELECT COUNT(*) FROM apps WHERE external_id = ? AND blocked = 1")
