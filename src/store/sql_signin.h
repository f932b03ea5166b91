/*
 * sql_signin.h: the SQL of signin.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_SIGNIN_FAIL, "INSERT INTO signin_failures (key, first_ms, hits) VALUES (?, ?, 1) "
                     "ON CONFLICT (key) DO UPDATE SET "
                     "hits = CASE WHEN signin_failures.first_ms <= ? THEN 1 "
                     "ELSE signin_failures.hits + 1 END, "
                     "first_ms = CASE WHEN signin_failures.first_ms <= ? THEN excluded.first_ms "
                     "ELSE signin_failures.first_ms END")
SQL(SQL_SIGNIN_PRUNE, "DELETE FROM signin_failures WHERE key IN (SELECT key FROM signin_failures "
                      "WHERE first_ms <= ? LIMIT 100)")
SQL(SQL_SIGNIN_FAILURES,
    "SELECT first_ms, hits FROM signin_failures WHERE key = ? AND first_ms > ?")
SQL(SQL_SIGNIN_RESET, "DELETE FROM signin_failures WHERE key = ?")
SQL(SQL_ASSERTION_JTI_USE, "INSERT INTO assertion_jtis (client_id, jti, exp_ms) VALUES (?, ?, ?) "
                           "ON CONFLICT (client_id, jti) DO UPDATE SET exp_ms = excluded.exp_ms "
                           "WHERE assertion_jtis.exp_ms < ?")
SQL(SQL_ASSERTION_JTI_PRUNE,
    "DELETE FROM assertion_jtis WHERE (client_id, jti) IN (SELECT client_id, "
    "jti FROM assertion_jtis WHERE exp_ms < ? LIMIT 100)")
