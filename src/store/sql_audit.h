/*
 * sql_audit.h: the SQL of audit.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_AUDIT_INSERT, "INSERT INTO audit (at, actor_id, actor_name, action, target, before, after) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_AUDIT_LIST, "SELECT seq, at, actor_id, actor_name, action, target, before, after "
                    "FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?")
