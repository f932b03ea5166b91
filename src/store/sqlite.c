/*
 * sqlite.c: the SQLite driver for db.h.
 *
 * Every connection runs in WAL mode with synchronous=FULL, so a COMMIT returns only after the
 * WAL is fsynced: the write path (store.c's group commit) relies on that for durability.
 * Prepared statements are cached per connection, in a slot per statement name (sql.h).
 * The writer creates a missing database file with mode 0600 (files.c).
 */
#include "store/db.h"
#include "store/graphconn_rank.h"
#include "store/internal.h"
#include "store/sqlite_walbuf.h"

#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define READER_CACHE_KIB 65536

static pthread_once_t sq_configured = PTHREAD_ONCE_INIT;
#define STR2(x) #x
#define STR(x) STR2(x)

struct db_stmt {
    sqlite3_stmt *st;
    struct db_conn *conn;
    bool once; /* ad hoc (SQL_NONE): not cached, freed by sq_reset */
};

/* A cached statement stays until the connection closes: one a caller holds must never be
 * finalised under it. */
struct db_conn {
    sqlite3 *db;
    struct db_stmt *stmts[SQL__COUNT];
};

static sb_err map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return SB_OK;
    case SQLITE_CONSTRAINT:
        return SB_ERR_CONFLICT;
    case SQLITE_NOMEM:
        return SB_ERR_NOMEM;
    case SQLITE_TOOBIG:
        return SB_ERR_TOO_LARGE;
    default:
        return SB_ERR_IO;
    }
}

static void sq_close(struct db_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SQL__COUNT; i++) {
        if (c->stmts[i])
            sqlite3_finalize(c->stmts[i]->st);
        free(c->stmts[i]);
    }
    sqlite3_close(c->db);
    free(c);
}

static sb_err sq_exec(struct db_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        sb_log_error("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(rc);
    }
    return SB_OK;
}

/* No bulk of 20 pages preallocated with every page cache: each statement of a search builds a
 * few ephemeral tables (CTEs, IN lists), each with its own cache, and filling 20 fresh pages
 * for each of them (page faults included) took a third of the CPU of a search for a rare
 * word. Pages are then allocated as used. Before the first sqlite3_open (sqlite3_config must
 * precede sqlite3_initialize). */
static void sq_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

static sb_err sq_open(const char *target, enum db_role role, struct db_conn **out,
                      struct sb_diag *diag)
{
    bool writer = role == DB_WRITER;
    struct db_conn *c = calloc(1, sizeof(*c));
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    sb_err err = SB_OK;
    int rc;

    *out = NULL;
    if (!c)
        return SB_ERR_NOMEM;
    if (writer) {
        flags |= SQLITE_OPEN_CREATE;
        /* Made 0600 here rather than by SQLite (0644 less the umask): the database holds keys,
         * and its -wal and -shm files take its mode when SQLite creates them. */
        if (strcmp(target, ":memory:") != 0 && strncmp(target, "file:", 5) != 0 &&
            store_file_create_private(target, NULL) != SB_OK) {
            err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot open SQLite database %s: %s",
                          target, strerror(errno));
            goto out;
        }
    }
    /* Before anything initialises SQLite (the WAL VFS registration does): sqlite3_config
     * is refused afterwards. */
    (void)pthread_once(&sq_configured, sq_configure);
    /* The writer's WAL writes are gathered into large pwrites (sqlite_walbuf.c). */
    rc = sqlite3_open_v2(target, &c->db, flags,
                         writer && store_sqlite_walbuf() ? STORE_SQLITE_WALBUF_VFS : NULL);
    if (rc != SQLITE_OK) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot open SQLite database %s: %s",
                      target, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_busy_timeout(c->db, 10000);
    sqlite3_extended_result_codes(c->db, 1);
    err = sq_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    /* The writer gives every write of a group commit a savepoint (store.c), and each page a
     * write changes is copied to the statement journal. SQLite keeps that journal in memory
     * only up to 64 KiB, then in a temporary file: one post changes about 16 pages, so every
     * savepoint became an open, an unlink and ~20 pwrites of that file (strace, 2026-12-05).
     * In memory the journal is a copy of the pages; it holds only what one open transaction
     * changes and is never needed after a crash (the WAL is what recovers). The temporary
     * table holds a batch's search texts until its one indexing statement
     * (store_message_index_flush); it is empty outside a batch. */
    if (!err && writer)
        err = sq_exec(c, "PRAGMA temp_store=MEMORY; CREATE TEMP TABLE index_pending "
                         "(seq INTEGER PRIMARY KEY, search_text TEXT NOT NULL);");
    /* Readers get a page cache of up to READER_CACHE_KIB each (SQLite's default is 2 MiB):
     * full-text search ranks every match of a common word, and with the default cache those
     * pages are read again for every query. It grows only as pages are used (docs/bench.md). */
    /* A reader that tried to write would fail here, not in a later race with the writer: the
     * store's writes go through the writer (and counters through their own connection). */
    if (!err && role == DB_READER)
        err = sq_exec(c, "PRAGMA cache_size=-" STR(READER_CACHE_KIB) "; PRAGMA query_only=ON;");
    /* The external-item search ranks with it (graphconn_rank.c). */
    if (!err && store_gc_rank_register(c->db) != SQLITE_OK)
        err = SB_ERR_IO;
    if (err) {
        sb_fail(diag, err, "storeUnavailable", "cannot set up SQLite database %s: %s", target,
                sqlite3_errmsg(c->db));
        goto out;
    }
    *out = c;
    c = NULL;
out:
    sq_close(c);
    return err;
}

static sb_err sq_prepare(struct db_conn *c, enum db_sql id, const char *sql, struct db_stmt **out)
{
    bool once = id == SQL_NONE;
    struct db_stmt *stmt;
    sqlite3_stmt *st = NULL;
    int rc;

    *out = once ? NULL : c->stmts[id];
    if (*out)
        return SB_OK;
    stmt = calloc(1, sizeof(*stmt));
    if (!stmt)
        return SB_ERR_NOMEM;
    rc = sqlite3_prepare_v3(c->db, sql, -1, once ? 0 : SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        sb_log_error("sqlite: prepare failed: %s: %s", sqlite3_errmsg(c->db), sql);
        free(stmt);
        return map_rc(rc);
    }
    stmt->st = st;
    stmt->conn = c;
    stmt->once = once;
    if (!once)
        c->stmts[id] = stmt;
    *out = stmt;
    return SB_OK;
}

static sb_err sq_bind_null(struct db_stmt *s, int idx)
{
    return map_rc(sqlite3_bind_null(s->st, idx));
}

static sb_err sq_bind_text(struct db_stmt *s, int idx, const char *v)
{
    int rc =
        v ? sqlite3_bind_text(s->st, idx, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s->st, idx);
    return map_rc(rc);
}

static sb_err sq_bind_int64(struct db_stmt *s, int idx, int64_t v)
{
    return map_rc(sqlite3_bind_int64(s->st, idx, v));
}

static sb_err sq_bind_blob(struct db_stmt *s, int idx, const void *v, size_t n)
{
    return map_rc(sqlite3_bind_blob64(s->st, idx, v, n, SQLITE_STATIC));
}

static sb_err sq_step(struct db_stmt *s, bool *row)
{
    int rc = sqlite3_step(s->st);

    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return SB_OK;
    if ((rc & 0xff) != SQLITE_CONSTRAINT)
        sb_log_error("sqlite: step failed: %s", sqlite3_errmsg(s->conn->db));
    /* map_rc gives SB_OK only for SQLITE_OK, which sqlite3_step never returns. */
    return rc == SQLITE_OK ? SB_ERR_IO : map_rc(rc);
}

static const char *sq_col_text(struct db_stmt *s, int idx)
{
    return (const char *)sqlite3_column_text(s->st, idx);
}

static int64_t sq_col_int64(struct db_stmt *s, int idx)
{
    return sqlite3_column_int64(s->st, idx);
}

static const void *sq_col_blob(struct db_stmt *s, int idx, size_t *n)
{
    const void *p = sqlite3_column_blob(s->st, idx);

    *n = (size_t)sqlite3_column_bytes(s->st, idx);
    return p;
}

static void sq_reset(struct db_stmt *s)
{
    if (s->once) {
        sqlite3_finalize(s->st);
        free(s);
        return;
    }
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
}

static int64_t sq_changes(struct db_conn *c)
{
    return sqlite3_changes64(c->db);
}

static const char *sq_errmsg(struct db_conn *c)
{
    return sqlite3_errmsg(c->db);
}

const struct db_driver db_sqlite = {
    .name = "sqlite",
    /* IMMEDIATE takes the write lock at BEGIN, so the migration check and a batch never have to
     * upgrade a read lock (which can fail with SQLITE_BUSY instead of waiting). */
    .begin_sql = "BEGIN IMMEDIATE",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_null = sq_bind_null,
    .bind_text = sq_bind_text,
    .bind_int64 = sq_bind_int64,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .col_text = sq_col_text,
    .col_int64 = sq_col_int64,
    .col_blob = sq_col_blob,
    .reset = sq_reset,
    .changes = sq_changes,
    .errmsg = sq_errmsg,
};
