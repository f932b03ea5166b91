/*
 * internal.h: what the store's domain files share (private to store/).
 *
 * store_read_begin/end lend a reader connection from the pool; store_write runs fn on the
 * writer connection inside the current group-commit batch and returns after the batch commits.
 */
#ifndef SB_STORE_INTERNAL_H
#define SB_STORE_INTERNAL_H

#include "store/db.h"
#include "store/store.h"

#include <pthread.h>

/* Records the in-transaction writes below take (their family headers define them). */
struct sb_audit;
struct sb_mention;
struct sb_message;
struct sb_outbox_job;
struct store_app_write;

struct store_migration {
    int version;
    const char *name;
    const char *sql;
};

/* Generated at build time from store/migrations/<driver>/NNN_name.sql (scripts/embed-sql). */
extern const struct store_migration store_migrations_sqlite[];
extern const size_t store_migrations_sqlite_count;
extern const struct store_migration store_migrations_postgres[];
extern const size_t store_migrations_postgres_count;

/* Applies the migrations m[0..count) newer than the database's schema on writer (migrate.c). */
sb_err store_migrate(const struct db_driver *drv, struct db_conn *writer,
                     const struct store_migration *m, size_t count, struct sb_diag *diag);

/* Connections of one role lent to one thread at a time (pool.c). init before anything else
 * (close is then always safe); open opens n of them (p->nfree counts those opened). */
struct store_pool {
    pthread_mutex_t mu;
    pthread_cond_t free_cv;
    const struct db_driver *drv;
    struct db_conn **conns;
    size_t n, nfree;
};
void store_pool_init(struct store_pool *p);
sb_err store_pool_open(struct store_pool *p, const char *target, size_t n, enum db_role role,
                       const struct db_driver *drv, struct sb_diag *diag);
/* Waits until a connection is free and lends it as *out. */
void store_pool_take(struct store_pool *p, struct db *out);
void store_pool_give(struct store_pool *p, struct db *d);
void store_pool_close(struct store_pool *p);

sb_err store_read_begin(struct store *st, struct db *out);
void store_read_end(struct store *st, struct db *d);

/* Lend a DB_COUNTER connection (db.h): writes in autocommit of counters nothing acknowledged
 * depends on, outside the group commit (rate.c only). Readers never write. */
sb_err store_count_begin(struct store *st, struct db *out);
void store_count_end(struct store *st, struct db *d);

typedef sb_err (*store_write_fn)(struct db *d, void *arg);
sb_err store_write(struct store *st, store_write_fn fn, void *arg);
/* Queues fn for the next batch and returns at once; done(done_arg, result) runs on the writer
 * thread after the batch committed (or failed). fn and arg must stay valid until then. */
sb_err store_write_async(struct store *st, store_write_fn fn, void *arg, store_done_fn done,
                         void *done_arg);

/* Returns once every write queued before the call has committed or failed (read-your-writes
 * for what store_write_async queued), without adding a write of its own. Never call it from a
 * write or a done callback: they run on the writer thread, which would wait for itself. */
void store_write_flush(struct store *st);
/* Writes queued or running and not yet finished. */
size_t store_write_backlog(struct store *st);

/* One batch of a prune: fn(d, p) deletes at most STORE_PRUNE_BATCH rows of what p->arg names
 * and sets p->deleted to how many. */
struct store_prune {
    const void *arg;
    int64_t deleted;
};
/* Runs fn in one write after another until a write deletes fewer than STORE_PRUNE_BATCH rows
 * (each batch commits on its own: a crash part-way leaves fewer rows to prune, nothing
 * inconsistent, as long as each batch is consistent by itself). */
sb_err store_prune_batches(struct store *st, store_write_fn fn, struct store_prune *p);

typedef void (*store_row_fn)(struct db *d, struct db_stmt *s, void *elem);
typedef void (*store_release_fn)(void *elem);

/* Runs a read query (parameters as db_query's) and reads the first row with read into out;
 * SB_ERR_NOT_FOUND when there is none. */
sb_err store_select_one(struct store *st, enum db_sql id, store_row_fn read, void *out,
                        struct db_args args);
/* store_select_one for an ad hoc statement (tests): prepared for this call only. */
sb_err store_select_one_text(struct store *st, const char *sql, store_row_fn read, void *out,
                             struct db_args args);
/* Runs a read query and reads every row with read into a new array of elem-sized elements
 * (caller frees *out). release (may be NULL) frees what one element owns; it is used when the
 * query fails part-way, so nothing leaks. */
sb_err store_select_all(struct store *st, enum db_sql id, store_row_fn read,
                        store_release_fn release, size_t elem, void **out, size_t *n,
                        struct db_args args);

/* What a message carries from a table of its own (reactions, mentions) is read for a page in
 * one query over the page's seq range, then handed out: store_seq_range gives the range of
 * ms[0..n) (n > 0), and store_rows_of copies into *out (calloc, NULL when none) the item at
 * item_off (item_size bytes) of every row whose leading sb_id is message_id, in the rows'
 * order, with their count in *n. */
void store_seq_range(const struct sb_message *ms, size_t n, int64_t *lo, int64_t *hi);
sb_err store_rows_of(const void *rows, size_t nrows, size_t row_size, size_t item_off,
                     size_t item_size, const char *message_id, void **out, size_t *n);

/* Inserts m inside the caller's write transaction and sets m->seq. search_text is m's
 * (store_message_search_text), computed by the caller before the write so that parsing cards
 * does not hold up the writer thread; NULL: computed here. */
sb_err store_message_insert(struct db *d, struct sb_message *m, const char *search_text);
/* A row inserted by the message's own statement: sql inserts the message (its first 14
 * parameters, as SQL_MESSAGE_INSERT) and then a row with args; it returns the message's seq and
 * that row's, which lands in seq. PostgreSQL only (SQL_MESSAGE_DELIVERY_INSERT). */
struct store_message_with {
    enum db_sql sql;
    struct db_args args;
    int64_t seq;
};
/* store_message_insert, with the message's statement inserting with's row as well. */
sb_err store_message_insert_with(struct db *d, struct sb_message *m, const char *search_text,
                                 struct store_message_with *with);
/* Writes the mentions of m (after its insert: m->seq is set), in the caller's transaction. */
sb_err store_mentions_insert(struct db *d, const struct sb_message *m);
/* Replaces the mentions of the stored message message_id with ms[0..n), in the caller's
 * transaction (an edit). */
sb_err store_mentions_replace(struct db *d, const char *message_id, const struct sb_mention *ms,
                              size_t n);
/* Reads the MESSAGE_COLS columns (sql_messages.h) of the current row of s into m (zeroed by the
 * caller); SB_ERR_NOMEM when a heap field could not be copied (m is then freed). */
sb_err store_message_row(struct db *d, struct db_stmt *s, struct sb_message *m);

/* Inserts a pending outbox job inside the caller's write transaction (a domain write and the
 * job that follows it up commit together). */
sb_err store_outbox_insert_tx(struct db *d, const struct sb_outbox_job *j, const char *payload);
/* Writes a delivery and its outbox job for every forward of m's channel whose filters take m
 * (store/forwards.c), in the caller's transaction: called by store_message_insert, so every
 * stored message is forwarded with its own commit. */
sb_err store_forward_fanout_tx(struct db *d, const struct sb_message *m, const char *search_text);

/* Appends an audit entry inside the caller's write transaction (the change and its record
 * commit together); NULL writes nothing. */
sb_err store_audit_insert_tx(struct db *d, const struct sb_audit *a);

/* store_app_put and store_app_delete inside the caller's write transaction; *deleted (may be
 * NULL) says whether the entry was there (a missing one is not an error here). */
sb_err store_app_put_tx(struct db *d, const struct store_app_write *w);
sb_err store_app_delete_tx(struct db *d, const char *id, const struct sb_audit *audit,
                           bool *deleted);

/* Makes room in a growing array *arr (element size `size`) for one element beyond len. */
sb_err store_grow(void **arr, size_t *cap, size_t len, size_t size);

/* Lower-cases ASCII letters of in into out (cap bytes), for case-insensitive unique keys. */
void store_lower(const char *in, char *out, size_t cap);

/* Counts one statement of a write against f's plan; true when it is the one to fail. */
bool store_fault_hit(struct store_fault *f);

/* Creates path as an empty file of mode 0600 (whatever the umask) unless something already
 * has that name; *created (may be NULL) says whether it did. SQLite opens an empty file as an
 * empty database and gives the -wal, -shm and -journal files it makes the database's mode. */
sb_err store_file_create_private(const char *path, bool *created);

/* The driver and its target (SQLite file path or PostgreSQL URL) of an open store: backup.c
 * opens a connection of its own on the same database. */
const struct db_driver *store_driver(const struct store *st);
const char *store_target(const struct store *st);

#endif
