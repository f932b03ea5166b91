/*
 * sql_registrations.h: the SQL of registrations.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define REG_COLS                                                                                   \
    "id, app_id, catalog_id, name, short_description, long_description, website_url, "             \
    "configuration_url, valid_domains, actions_enabled, actions_url, version, created_by, "        \
    "created_at, updated_at"
SQL(SQL_REGISTRATION_INSERT,
    "INSERT INTO connector_registrations (" REG_COLS ", logo, outline, package) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_REGISTRATION_UPDATE, "UPDATE connector_registrations SET name = ?, "
                             "short_description = ?, long_description = ?, website_url = ?, "
                             "configuration_url = ?, valid_domains = ?, actions_enabled = ?, "
                             "actions_url = ?, version = ?, updated_at = ?, logo = ?, outline = ?, "
                             "package = ? WHERE id = ? AND version = ?")
SQL(SQL_REGISTRATION_SET_CATALOG, "UPDATE connector_registrations SET catalog_id = ? WHERE id = ?")
SQL(SQL_REGISTRATION_EXISTS, "SELECT 1 FROM connector_registrations WHERE id = ?")
SQL(SQL_REGISTRATION_GET, "SELECT " REG_COLS " FROM connector_registrations WHERE id = ?")
SQL(SQL_REGISTRATION_LIST_BY_CREATOR, "SELECT " REG_COLS " FROM connector_registrations "
                                      "WHERE created_by = ? ORDER BY created_at, id")
SQL(SQL_REGISTRATION_LIST_ALL, "SELECT " REG_COLS " FROM connector_registrations "
                               "ORDER BY created_at, id")
SQL(SQL_REGISTRATION_DELETE, "DELETE FROM connector_registrations WHERE id = ?")
SQL(SQL_REGISTRATION_LOGO, "SELECT logo FROM connector_registrations WHERE id = ?")
SQL(SQL_REGISTRATION_OUTLINE, "SELECT outline FROM connector_registrations WHERE id = ?")
SQL(SQL_REGISTRATION_PACKAGE, "SELECT package FROM connector_registrations WHERE id = ?")
