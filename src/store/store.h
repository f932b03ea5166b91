/*
 * store.h: the only interface to persistence.
 *
 * Services call these domain functions; none of them sees SQL or knows which database is
 * behind it. store_open() picks the database from a URL (`sqlite:<path>`, or
 * `postgres://user:password@host:port/dbname`, also `postgresql://`), applies pending migrations
 * inside a transaction, and starts the write path.
 *
 * Durability: every write function returns only after its change is committed and durable.
 * Writes go through one group-commit thread: concurrent writers are batched into one
 * transaction (each in its own savepoint, so one failing write does not undo the others) and
 * share one fsync. Reads run on a pool of reader connections and see committed data.
 *
 * Errors: SB_ERR_NOT_FOUND when the row is absent, SB_ERR_CONFLICT for a uniqueness violation,
 * SB_ERR_IO for database failures (logged), SB_ERR_NOMEM.
 *
 * The records are the model's (model/<family>.h, struct sb_...), shared with the services and
 * the handlers; they use fixed-size text fields sized by the limits the services enforce;
 * variable-size fields (message bodies) are heap strings released by the matching *_free
 * function. Types only a store call takes (write plumbing, queries) stay in store/<family>.h.
 *
 * This header holds the store's life cycle and write machinery (open, close, listen, pruning,
 * backup, fault injection, file modes). Each family of records and functions has its own
 * header, store/<family>.h (users, teams, messages, connectors, ...), which does not come
 * through this one: each source includes the family headers it uses.
 */
#ifndef SB_STORE_H
#define SB_STORE_H

#include "core/sb.h"

#include <stdbool.h>
#include <stdint.h>

struct store;

struct store_opts {
    const char *url; /* "sqlite:/path/to/file.db" or "postgres://user:pass@host:5432/db" */
    int readers;     /* reader connections in the pool (>= 1) */
};

sb_err store_open(const struct store_opts *opts, struct store **out, struct sb_diag *diag);
/* Waits for queued writes to commit, then closes every connection. */
void store_close(struct store *st);
/* Checks that the database answers a trivial query. */
sb_err store_ping(struct store *st);
/* Writes waiting for the next group-commit batch (a gauge for /metrics). */
size_t store_write_queue_depth(struct store *st);

/* Notifications from the other server processes on the same database (PostgreSQL; with SQLite
 * there are none). Payloads are "m NODE SEQ TEAM" (a message was stored) and
 * "j NODE USER TEAM 1|0" (a membership was added or removed), sent when the write commits.
 * fn runs on a listener thread. Writes made by this process carry store_node_id(). */
typedef void (*store_notify_fn)(void *arg, const char *payload);
sb_err store_listen(struct store *st, store_notify_fn fn, void *arg);
const char *store_node_id(const struct store *st);

/* Pruning (old signing keys, rate windows, a deleted Graph connection's items and groups, the
 * delivery log) deletes at most STORE_PRUNE_BATCH rows per write transaction, so that no
 * single write holds the one writer long. The counters (for tests and diagnostics) cover the
 * pruning that runs as writes of its own. */
#define STORE_PRUNE_BATCH 128
struct store_prune_stats {
    uint64_t transactions; /* prune writes committed */
    uint64_t rows;         /* rows they deleted */
    uint64_t max_rows;     /* the most one of them deleted */
};
void store_prune_stats(struct store *st, struct store_prune_stats *out);

/* True when several server processes may share this database (PostgreSQL): per-process state
 * such as rate-limit buckets must then live in the database. */
bool store_shared(const struct store *st);

/* Called on the store's writer thread once an asynchronous write committed (err SB_OK) or
 * failed. It must be quick: the next batch waits for it. */
typedef void (*store_done_fn)(void *arg, sb_err err);

/* Installation-wide values (tenant id, keys). */
sb_err store_meta_get(struct store *st, const char *key, char **out);
/* Stores value under key unless the key exists; *out gets the value now stored (caller frees),
 * so concurrent first starts agree on one value. */
sb_err store_meta_init(struct store *st, const char *key, const char *value, char **out);

/* ---- backup and restore (SQLite; PostgreSQL has pg_dump and pg_restore) ---- */

/* Copies the live database into path, a new file (SB_ERR_CONFLICT when it exists), while
 * servers keep reading and writing it: the copy is one consistent snapshot, a self-contained
 * rollback-journal database (no -wal beside it), checked with quick_check and fsynced before it
 * appears under its name. SB_ERR_INVALID when the store is not SQLite. */
sb_err store_backup(struct store *st, const char *path, struct sb_diag *diag);
/* Replaces the database of the stopped installation at url ("sqlite:<file>"; the file is
 * created if missing) with the backup at path. Refuses with SB_ERR_INVALID when path is not a
 * Switchboard database (not SQLite, damaged, no schema_migrations, or migrated by a newer
 * version) and with SB_ERR_CONFLICT when a process has the database open (a running server). */
sb_err store_restore(const char *url, const char *path, struct sb_diag *diag);

/* ---- fault injection, for tests (src/store/fault.c) ---- */

/* A plan "fail the N-th statement run by write functions": the statement answers SB_ERR_IO
 * before it runs, as a database failure would, and the write function's transaction is rolled
 * back if it passes the error on. Tests fail each step of an operation in turn and check that
 * nothing of it remains. No plan is installed in production. */
struct store_fault;

sb_err store_fault_new(struct store_fault **out);
void store_fault_free(struct store_fault *f);
/* Installs f on st (NULL removes it); f must outlive its installation. */
void store_fault_set(struct store *st, struct store_fault *f);
/* Restarts the count and fails statement fail_at (from 1; 0 fails none). */
void store_fault_arm(struct store_fault *f, long fail_at);
/* Statements run by writes since store_fault_arm (the failed one included). */
long store_fault_seen(const struct store_fault *f);

/* ---- file modes (SQLite): the database holds secrets ---- */

/* Makes data_dir (when not NULL or "") mode 0700 and every regular file directly in it, and
 * db_file with its -wal, -shm and -journal (when not NULL), mode 0600, warning on stderr with
 * each path it changes (or cannot change). Symlinks are not followed. Run at start, before
 * store_open: files made by older versions or by hand under umask 022 are readable by all. */
void store_files_repair(const char *data_dir, const char *db_file);

#endif
