/*
 * db.h: the SQL driver beneath store.h (private to store/).
 *
 * The store's domain functions (users.c, teams.c, messages.c, ...) are written once, in SQL that
 * SQLite and PostgreSQL both accept, with `?` placeholders. A driver (sqlite.c, postgres.c)
 * provides connections, cached prepared statements, parameter binding and row stepping. Adding a
 * database therefore means writing a driver and a migrations directory, not touching the domain
 * functions or any service.
 *
 * A connection is used by one thread at a time; store.c hands them out (one writer connection
 * owned by the group-commit thread, a pool of reader connections).
 */
#ifndef SB_STORE_DB_H
#define SB_STORE_DB_H

#include "core/buf.h"
#include "core/sb.h"
#include "store/sql.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct db_conn;
struct db_stmt;

/* What a connection is opened for. DB_WRITER: the group-commit writer (creates a missing
 * SQLite file; durable commits). DB_READER: the read pool; the database refuses its writes
 * (SQLite query_only, PostgreSQL default_transaction_read_only). DB_COUNTER: writes
 * counters that nothing acknowledged depends on (rate-limit windows, rate.c), in autocommit
 * apart from the group commit, so that a refusal never waits for it; PostgreSQL does not wait
 * for their WAL flush (synchronous_commit off). */
enum db_role { DB_READER, DB_WRITER, DB_COUNTER };

struct db_driver {
    const char *name;
    /* Opens a write transaction (the group-commit batch, migrations). The dialects differ:
     * SQLite needs BEGIN IMMEDIATE to take the write lock up front, PostgreSQL knows only BEGIN. */
    const char *begin_sql;
    /* Run right after begin_sql in the migration transaction, or NULL: serialises processes
     * that migrate the same database at once where begin_sql alone does not. */
    const char *migrate_lock_sql;
    /* Cross-process notifications, NULL where one process owns the database (SQLite).
     * notify_sql takes one text parameter, a payload or several joined by newlines, and queues
     * each as a notification, delivered when the transaction commits; listen() blocks, handing each
     * payload to fn, until *stop becomes true, reconnecting when the connection breaks. *stop is
     * atomic: another thread sets it. */
    const char *notify_sql;
    sb_err (*listen)(const char *target, void (*fn)(void *arg, const char *payload), void *arg,
                     const atomic_int *stop);
    /* Where processes share the database (else NULL): a session lock that makes message seqs
     * commit in the order they are drawn. A writer takes it before its first message insert of
     * a batch and releases it after the COMMIT, so a seq is never visible while a lower one
     * may still commit (an event-stream client resuming after seq N would miss it). */
    const char *seq_lock_sql;
    const char *seq_unlock_sql;
    /* Where one exec of several statements is one round trip (else NULL): releases the group
     * commit's savepoint of one write and opens the next write's, in one exec instead of two
     * statements (store.c run_batch). */
    const char *savepoint_next_sql;
    sb_err (*open)(const char *target, enum db_role role, struct db_conn **out,
                   struct sb_diag *diag);
    void (*close)(struct db_conn *c);
    /* Runs one or more statements without parameters or results (DDL, BEGIN, COMMIT). */
    sb_err (*exec)(struct db_conn *c, const char *sql);
    /* Returns the statement named id, whose text is sql, prepared on first use and cached on
     * the connection in a slot per name. SQL_NONE: sql is prepared for this one use, not
     * cached, and reset frees it. The statement is reset and unbound by reset (db_done). */
    sb_err (*prepare)(struct db_conn *c, enum db_sql id, const char *sql, struct db_stmt **out);
    /* Typed binds, idx from 1. Text and blobs are not copied: they must stay valid until the
     * statement is reset. A NULL text or blob pointer binds SQL NULL, as bind_null does. */
    sb_err (*bind_null)(struct db_stmt *s, int idx);
    sb_err (*bind_text)(struct db_stmt *s, int idx, const char *v);
    sb_err (*bind_int64)(struct db_stmt *s, int idx, int64_t v);
    sb_err (*bind_blob)(struct db_stmt *s, int idx, const void *v, size_t n);
    /* Advances to the next row: SB_OK with *row true (a row to read) or false (no more rows),
     * or an error (*row false): SB_ERR_CONFLICT for a unique/foreign-key violation. Rows and
     * errors travel apart, so a row can never be taken for an error code or the reverse. */
    sb_err (*step)(struct db_stmt *s, bool *row);
    const char *(*col_text)(struct db_stmt *s, int idx); /* NULL for SQL NULL */
    int64_t (*col_int64)(struct db_stmt *s, int idx);
    const void *(*col_blob)(struct db_stmt *s, int idx, size_t *n);
    void (*reset)(struct db_stmt *s);
    /* Rows changed by the last statement completed on the connection. */
    int64_t (*changes)(struct db_conn *c);
    /* The last error text of the connection, for logs. */
    const char *(*errmsg)(struct db_conn *c);
};

extern const struct db_driver db_sqlite;

/* The text of statement id on drv (the driver's own for SQL_BEGIN and SQL_NOTIFY). */
const char *db_sql_text(const struct db_driver *drv, enum db_sql id);
extern const struct db_driver db_postgres;

struct store_fault;

/* The group commit's memo for one batch (store.c): the channels a message insert of this batch
 * found without forwards, so that the batch's later messages to them skip the lookup
 * (store_forward_fanout_tx). A forward write of the batch empties it. A forward another
 * process commits while the batch runs counts from the next batch on, as it would had it
 * committed just after this batch's first lookup. */
#define DB_MEMO_CHANNELS 8
struct db_memo {
    char no_forwards[DB_MEMO_CHANNELS][64];
    size_t n_no_forwards;
};

/* A connection paired with its driver: what domain functions receive. */
struct db {
    const struct db_driver *drv;
    struct db_conn *conn;
    const char *node; /* this process's id in notifications (writer connections only) */
    /* The batch's notifications: db_notify appends "kind node rest\0" here. On SQLite the
     * writer hands them to this process's listener after the COMMIT (NULL: nobody listens,
     * they are dropped); on PostgreSQL the batch sends them all with one notify_sql statement
     * just before its COMMIT (NULL: each db_notify runs notify_sql itself). */
    struct sb_buf *notes;
    bool seq_locked;           /* this batch holds the driver's seq_lock_sql lock */
    struct store_fault *fault; /* a test's fault plan (fault.c), during writes only; or NULL */
    /* SQLite group commit only (store.c): message inserts leave search_text NULL and queue
     * it; the batch sets them all in one statement before its COMMIT
     * (store_message_index_flush), so FTS5 writes one segment per commit, not one per write. */
    bool defer_index;
    bool index_pending;   /* something was queued since the last flush */
    struct db_memo *memo; /* the group commit's batch memo, or NULL outside it */
};

/* True on the SQLite driver: for the few statements written in two dialects (full-text search). */
bool db_is_sqlite(const struct db *d);

/* sql with its `?` placeholders rewritten as PostgreSQL's $1..$n (heap; NULL when out of
 * memory), leaving string literals, quoted identifiers and comments alone. *n gets the number
 * of placeholders. */
char *db_pg_placeholders(const char *sql, int *n);

/* Queues "kind node rest" for every listening process (PostgreSQL) or for this process's own
 * listener (SQLite), delivered in commit order after the transaction commits. The payload
 * holds no newline (a PostgreSQL batch's payloads travel joined by newlines to notify_sql). */
sb_err db_notify(struct db *d, const char *kind, const char *rest);

/* PostgreSQL: sends the payloads queued in d->notes (NUL-separated) with one notify_sql
 * statement, one notification per payload in their order, and empties d->notes. */
sb_err db_notify_flush(struct db *d);

/* One statement parameter, typed where it is written: make it with db_text, db_int, db_bool,
 * db_blob or db_null, so the compiler checks each value against its kind (a varargs format
 * string could not). */
enum db_type { DB_NULL, DB_TEXT, DB_INT, DB_BLOB };
struct db_val {
    enum db_type type;
    union {
        const char *text;
        int64_t i;
        struct {
            const void *p;
            size_t n;
        } blob;
    } u;
};

static inline struct db_val db_null(void)
{
    return (struct db_val){.type = DB_NULL};
}
/* NULL binds SQL NULL (the drivers' bind_text does). */
static inline struct db_val db_text(const char *v)
{
    return (struct db_val){.type = DB_TEXT, .u.text = v};
}
static inline struct db_val db_int(int64_t v)
{
    return (struct db_val){.type = DB_INT, .u.i = v};
}
/* Stored as the integer 1 or 0 (both databases' schemas use integer flags). */
static inline struct db_val db_bool(bool v)
{
    return db_int(v ? 1 : 0);
}
/* A NULL pointer binds SQL NULL (the drivers' bind_blob does); a non-NULL one with n 0 an
 * empty blob. */
static inline struct db_val db_blob(const void *p, size_t n)
{
    return (struct db_val){.type = DB_BLOB, .u.blob = {p, n}};
}

/* A statement's parameters in order: DB_ARGS(db_text(id), db_int(n)), or DB_NO_ARGS. The
 * array is a compound literal of the caller's block; binding copies what it needs from it. */
struct db_args {
    const struct db_val *v;
    size_t n;
};
#define DB_ARGS(...)                                                                               \
    ((struct db_args){(const struct db_val[]){__VA_ARGS__},                                        \
                      sizeof((const struct db_val[]){__VA_ARGS__}) / sizeof(struct db_val)})
#define DB_NO_ARGS ((struct db_args){NULL, 0})

/* Convenience wrappers used by the domain functions. db_query prepares the statement named id
 * (sql.h) and binds args. */
sb_err db_query(struct db *d, enum db_sql id, struct db_stmt **out, struct db_args args);
/* The same for an ad hoc statement (tests, tools): sql is prepared for this use only and freed
 * by db_done. The store's own statements are named, never ad hoc. */
sb_err db_query_text(struct db *d, const char *sql, struct db_stmt **out, struct db_args args);
/* Runs a statement that returns no rows; *changes (may be NULL) gets the rows it touched. */
sb_err db_run(struct db *d, int64_t *changes, enum db_sql id, struct db_args args);
/* Like db_run for an UPDATE or DELETE that must touch a row: SB_ERR_NOT_FOUND when none. */
sb_err db_run_one(struct db *d, enum db_sql id, struct db_args args);
/* As db_driver.step: SB_OK and *row (true: a row to read; false: done), or an error. */
sb_err db_step(struct db *d, struct db_stmt *s, bool *row);
void db_done(struct db *d, struct db_stmt *s);
/* Copies column idx into dst (cap bytes, always NUL-terminated; NULL becomes ""). */
void db_col_copy(struct db *d, struct db_stmt *s, int idx, char *dst, size_t cap);
/* Duplicates column idx (NULL stays NULL); SB_ERR_NOMEM on failure. */
sb_err db_col_dup(struct db *d, struct db_stmt *s, int idx, char **out);
int64_t db_col_int(struct db *d, struct db_stmt *s, int idx);

#endif
