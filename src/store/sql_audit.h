/*
 * sql_audit.h: the SQL of audit.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_AUDIT_INSERT, "INSERT INTO audit (at, actor_id, actor_name, action, target, before, after) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)")
/* The target's name from whichever table holds it now (a team, a configuration, a person, an
 * app); the filters' empty values match everything; ? LIKE patterns escape with '!'. */
SQL(SQL_AUDIT_LIST,
    "SELECT a.seq, a.at, a.actor_id, a.actor_name, a.action, a.target, a.before, a.after, "
    "COALESCE((SELECT t.display_name FROM teams t WHERE t.id = a.target), "
    "(SELECT c.name FROM connectors c WHERE c.id = a.target), "
    "(SELECT u.display_name FROM users u WHERE u.id = a.target), "
    "(SELECT p.display_name FROM apps p WHERE p.id = a.target), '') "
    "FROM audit a WHERE a.seq < ? "
    "AND (CAST(? AS TEXT) = '' OR a.action LIKE ? ESCAPE '!') "
    "AND (CAST(? AS TEXT) = '' OR LOWER(a.actor_name) LIKE ? ESCAPE '!') "
    "AND (CAST(? AS TEXT) = '' OR a.at >= ?) "
    "AND (CAST(? AS TEXT) = '' OR a.at < ?) "
    "ORDER BY a.seq DESC LIMIT ?")
