/*
 * sql_outbox.h: the SQL of outbox.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define JOB_COLS "id, kind, state, attempts, next_at, created_ms, updated_ms, last_error, payload"
SQL(SQL_OUTBOX_INSERT,
    "INSERT INTO outbox (id, kind, payload, state, attempts, next_at, created_ms, "
    "updated_ms) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)")
SQL(SQL_OUTBOX_GET, "SELECT " JOB_COLS " FROM outbox WHERE id = ?")
SQL(SQL_OUTBOX_NEXT_DUE,
    "SELECT MIN(CASE WHEN lease_until > ? THEN lease_until ELSE next_at END) FROM outbox "
    "WHERE state = 'pending'")
SQL(SQL_OUTBOX_CLAIM,
    "UPDATE outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1, "
    "updated_ms = ? WHERE id = (SELECT id FROM outbox WHERE state = 'pending' AND "
    "next_at <= ? AND lease_until <= ? ORDER BY next_at, id LIMIT 1) AND "
    "state = 'pending' AND lease_until <= ? RETURNING " JOB_COLS)
/* Lanes (outbox.h, outbox_set_lane): one kind only, or every kind but one. */
SQL(SQL_OUTBOX_NEXT_DUE_ONLY,
    "SELECT MIN(CASE WHEN lease_until > ? THEN lease_until ELSE next_at END) FROM outbox "
    "WHERE state = 'pending' AND kind = ?")
SQL(SQL_OUTBOX_NEXT_DUE_EXCEPT,
    "SELECT MIN(CASE WHEN lease_until > ? THEN lease_until ELSE next_at END) FROM outbox "
    "WHERE state = 'pending' AND kind <> ?")
SQL(SQL_OUTBOX_CLAIM_ONLY,
    "UPDATE outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1, "
    "updated_ms = ? WHERE id = (SELECT id FROM outbox WHERE state = 'pending' AND "
    "next_at <= ? AND lease_until <= ? AND kind = ? ORDER BY next_at, id LIMIT 1) AND "
    "state = 'pending' AND lease_until <= ? RETURNING " JOB_COLS)
SQL(SQL_OUTBOX_CLAIM_EXCEPT,
    "UPDATE outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1, "
    "updated_ms = ? WHERE id = (SELECT id FROM outbox WHERE state = 'pending' AND "
    "next_at <= ? AND lease_until <= ? AND kind <> ? ORDER BY next_at, id LIMIT 1) AND "
    "state = 'pending' AND lease_until <= ? RETURNING " JOB_COLS)
SQL(SQL_OUTBOX_FINISH, "UPDATE outbox SET state = ?, next_at = ?, last_error = ?, lease_until = 0, "
                       "lease_owner = '', updated_ms = ? WHERE id = ? AND lease_owner = ?")
SQL(SQL_OUTBOX_RELEASE,
    "UPDATE outbox SET lease_until = 0, lease_owner = '' WHERE state = 'pending' "
    "AND lease_until > 0")
