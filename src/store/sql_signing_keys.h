/*
 * sql_signing_keys.h: the SQL of signing_keys.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_SIGNING_KEY_INSERT, "INSERT INTO signing_keys (kid, period, created_ms, private_pem, n, e) "
                            "VALUES (?, ?, ?, ?, ?, ?)")
SQL(SQL_SIGNING_KEY_LIST, "SELECT kid, created_ms, private_pem, n, e, period FROM signing_keys "
                          "ORDER BY period DESC")
SQL(SQL_SIGNING_KEY_PRUNE, "DELETE FROM signing_keys WHERE kid IN (SELECT kid FROM signing_keys "
                           "WHERE created_ms < ? LIMIT ?)")
