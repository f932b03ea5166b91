/*
 * sql_admin.h: the SQL of admin.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_ADMIN_TEAMS,
    "SELECT t.id, t.display_name, t.description, t.allow_connectors, t.created_at, "
    "COALESCE(t.connectors_enabled, -1), "
    "(SELECT COUNT(*) FROM members m WHERE m.team_id = t.id), "
    "(SELECT COUNT(*) FROM members m WHERE m.team_id = t.id AND m.role = 3), "
    "(SELECT COUNT(*) FROM connectors c WHERE c.team_id = t.id AND c.deleted_at IS NULL), "
    "(SELECT COUNT(*) FROM connectors c WHERE c.team_id = t.id AND c.deleted_at IS NULL "
    "AND c.kind = 'incomingWebhook') "
    "FROM teams t ORDER BY t.display_name, t.id LIMIT ?")
SQL(SQL_ADMIN_OWNERS, "SELECT m.team_id, u.id, u.display_name FROM members m "
                      "JOIN users u ON u.id = m.user_id WHERE m.role = 3 "
                      "ORDER BY m.team_id, u.display_name, u.id")
/* kind and url_format: '' matches every value. */
SQL(SQL_ADMIN_REACH, "SELECT COUNT(*), COUNT(DISTINCT team_id) FROM connectors "
                     "WHERE deleted_at IS NULL AND (CAST(? AS TEXT) = '' OR kind = ?) "
                     "AND (CAST(? AS TEXT) = '' OR url_format = ?)")
