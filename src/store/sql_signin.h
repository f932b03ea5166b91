/*
 * sql_signin.h: the SQL of signin.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_SIGNIN_FAIL_INSERT_SIGNIN_FAILURES,
    "INSERT INTO signin_failures (key, first_ms, hits) VALUES (?, ?, 1) "
    "ON CONFLICT (key) DO UPDATE SET "
    "hits = CASE WHEN signin_failures.first_ms <= ? THEN 1 "
    "ELSE signin_failures.hits + 1 END, "
    "first_ms = CASE WHEN signin_failures.first_ms <= ? THEN excluded.first_ms "
    "ELSE signin_failures.first_ms END")
SQL(SQL_SIGNIN_FAIL_DELETE_SIGNIN_FAILURES,
    "DELETE FROM signin_failures WHERE key IN (SELECT key FROM signin_failures "
    "WHERE first_ms <= ? LIMIT 100)")
SQL(SQL_SIGNIN_FAILURES,
    "SELECT first_ms, hits FROM signin_failures WHERE key = ? AND first_ms > ?")
SQL(SQL_SIGNIN_RESET, "DELETE FROM signin_failures WHERE key = ?")
SQL(SQL_SIGNIN_JTI_INSERT_ASSERTION_JTIS,
    "INSERT INTO assertion_jtis (client_id, jti, exp_ms) VALUES (?, ?, ?) "
    "ON CONFLICT (client_id, jti) DO UPDATE SET exp_ms = excluded.exp_ms "
    "WHERE assertion_jtis.exp_ms < ?")
SQL(SQL_SIGNIN_JTI_DELETE_ASSERTION_JTIS,
    "DELETE FROM assertion_jtis WHERE (client_id, jti) IN (SELECT client_id, "
    "jti FROM assertion_jtis WHERE exp_ms < ? LIMIT 100)")
