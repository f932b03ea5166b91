/*
 * sql_rate.h: the SQL of rate.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_RATE_TAKE,
    "INSERT INTO rate_windows (connector_id, window_s, hits) VALUES (?, ?, 1) "
    "ON CONFLICT (connector_id, window_s) DO UPDATE SET hits = rate_windows.hits + 1 "
    "RETURNING hits")
SQL(SQL_RATE_PRUNE, "DELETE FROM rate_windows WHERE (connector_id, window_s) IN ("
                    "SELECT connector_id, window_s FROM rate_windows "
                    "WHERE window_s < ? LIMIT ?)")
