/*
 * sql_users.h: the SQL of users.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define USER_COLS                                                                                  \
    "id, upn, display_name, is_admin, created_at, account_enabled, is_guest, must_change_password"
SQL(SQL_USER_INSERT,
    "INSERT INTO users (id, upn, upn_lower, display_name, password_hash, is_admin, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_USER_GET, "SELECT " USER_COLS " FROM users WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_USER_BY_UPN, "SELECT " USER_COLS ", password_hash FROM users WHERE upn_lower = ? "
                     "AND deleted_at IS NULL")
SQL(SQL_USER_LIST, "SELECT " USER_COLS " FROM users WHERE deleted_at IS NULL "
                   "ORDER BY created_at, id")
/* $search: a substring of the display name or the UPN (both given lower-cased, LIKE-escaped). */
SQL(SQL_USER_SEARCH, "SELECT " USER_COLS " FROM users WHERE deleted_at IS NULL AND "
                     "(lower(display_name) LIKE ? ESCAPE '!' OR upn_lower LIKE ? ESCAPE '!') "
                     "ORDER BY display_name, id LIMIT ?")
SQL(SQL_USER_LIST_TOP, "SELECT " USER_COLS " FROM users WHERE deleted_at IS NULL "
                       "ORDER BY created_at, id LIMIT ?")
/* Locks and finds the row (SB_ERR_NOT_FOUND from db_run_one) before a change of several parts. */
SQL(SQL_USER_TOUCH, "UPDATE users SET upn = upn WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_USER_SET_NAME, "UPDATE users SET display_name = ? WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_USER_SET_ENABLED,
    "UPDATE users SET account_enabled = ? WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_USER_SET_GUEST, "UPDATE users SET is_guest = ? WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_USER_SET_MUST_CHANGE,
    "UPDATE users SET must_change_password = ? WHERE id = ? AND deleted_at IS NULL")
/* The row stays (a former member: messages and connectors keep pointing at it); the UPN is
 * freed for a new account and the password removed. */
SQL(SQL_USER_DELETE, "UPDATE users SET deleted_at = ?, upn_lower = ?, account_enabled = 0, "
                     "password_hash = NULL WHERE id = ? AND deleted_at IS NULL")
/* Team memberships of a user: guest only (count > 0, highest role guest) closes the directory. */
SQL(SQL_USER_ROLES, "SELECT COUNT(*), COALESCE(MAX(role), 0) FROM members WHERE user_id = ?")
SQL(SQL_USER_SET_PASSWORD, "UPDATE users SET password_hash = ? WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_USER_SET_ADMIN, "UPDATE users SET is_admin = ? WHERE id = ? AND deleted_at IS NULL")
SQL(SQL_TOKEN_INSERT, "INSERT INTO tokens (id, user_id, kind, hash, expires_ms, csrf, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_TOKEN_BY_HASH, "SELECT id, user_id, kind, hash, expires_ms, csrf, created_at, "
                       "last_used_ms FROM tokens WHERE hash = ?")
/* A user's credentials of one kind that have not expired (the second ? is now in ms). */
SQL(SQL_TOKEN_LIST_USER, "SELECT id, user_id, kind, expires_ms, created_at, last_used_ms "
                         "FROM tokens WHERE user_id = ? AND kind = ? AND "
                         "(expires_ms = 0 OR expires_ms > ?) ORDER BY created_at, id")
SQL(SQL_TOKEN_DELETE_OWNED, "DELETE FROM tokens WHERE id = ? AND user_id = ? AND kind = ?")
/* A deleted person leaves every team, as one who is removed does (their connectors stay: the
 * continuity rule does not depend on the creator's membership). */
SQL(SQL_USER_LEAVE_TEAMS, "DELETE FROM members WHERE user_id = ?")
SQL(SQL_TOKEN_DELETE_USER, "DELETE FROM tokens WHERE user_id = ?")
SQL(SQL_TOKEN_DELETE_OTHERS, "DELETE FROM tokens WHERE user_id = ? AND id <> ? AND kind <> ?")
SQL(SQL_TOKEN_TOUCH, "UPDATE tokens SET last_used_ms = ? WHERE id = ?")
SQL(SQL_TOKEN_DELETE, "DELETE FROM tokens WHERE id = ?")
SQL(SQL_TOKEN_DELETE_KIND, "DELETE FROM tokens WHERE user_id = ? AND kind = ?")
