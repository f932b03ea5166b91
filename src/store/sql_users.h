/*
 * sql_users.h: the SQL of users.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define USER_COLS "id, upn, display_name, is_admin, created_at"
SQL(SQL_USER_INSERT,
    "INSERT INTO users (id, upn, upn_lower, display_name, password_hash, is_admin, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_USER_GET, "SELECT " USER_COLS " FROM users WHERE id = ?")
SQL(SQL_USER_BY_UPN, "SELECT " USER_COLS ", password_hash FROM users WHERE upn_lower = ?")
SQL(SQL_USER_LIST, "SELECT " USER_COLS " FROM users ORDER BY created_at, id")
SQL(SQL_USER_SET_PASSWORD, "UPDATE users SET password_hash = ? WHERE id = ?")
SQL(SQL_USER_SET_ADMIN, "UPDATE users SET is_admin = ? WHERE id = ?")
SQL(SQL_TOKEN_INSERT, "INSERT INTO tokens (id, user_id, kind, hash, expires_ms, csrf, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_TOKEN_BY_HASH, "SELECT id, user_id, kind, hash, expires_ms, csrf, created_at FROM tokens "
                       "WHERE hash = ?")
SQL(SQL_TOKEN_DELETE, "DELETE FROM tokens WHERE id = ?")
SQL(SQL_TOKEN_DELETE_KIND, "DELETE FROM tokens WHERE user_id = ? AND kind = ?")
