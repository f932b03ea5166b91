/*
 * sql_oidc.h: the SQL of oidc.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_OIDC_LOGIN_INSERT,
    "INSERT INTO oidc_logins (state_hash, nonce, verifier, expires_ms) VALUES (?, ?, ?, ?)")
SQL(SQL_OIDC_LOGIN_TAKE, "DELETE FROM oidc_logins WHERE state_hash = ? AND expires_ms > ? "
                         "RETURNING nonce, verifier")
SQL(SQL_OIDC_LOGIN_PRUNE, "DELETE FROM oidc_logins WHERE state_hash IN (SELECT state_hash FROM "
                          "oidc_logins WHERE expires_ms <= ? LIMIT 100)")
