/*
 * postgres.c: the PostgreSQL driver for db.h, over libpq.
 *
 * The domain SQL is shared with SQLite, so this driver adapts PostgreSQL to db.h's model:
 * - `?` placeholders become `$1..$n` (db_pg_placeholders, pg_placeholders.c) when a statement
 *   is prepared (PQprepare, server-side,
 *   cached per connection in a slot per statement name (sql.h), like sqlite.c);
 * - parameters go as text, except blobs, which go as binary (format 1) so no escaping is needed;
 * - results come as text. A bytea column arrives as `\x<hex>` and is decoded on demand;
 *   a boolean expression (`deleted_at IS NOT NULL`) arrives as 't'/'f' and reads as 1/0;
 * - step() is emulated over a whole PGresult: the first step executes, the next ones walk the
 *   rows, and "done" after the last. Fetching the whole result keeps the connection free for the
 *   next statement, which the domain code may run while it still holds this one;
 * - SQLSTATE class 23 (integrity constraint violation) is SB_ERR_CONFLICT, as SQLITE_CONSTRAINT
 *   is; anything else is SB_ERR_IO, logged with the server's message.
 *
 * Durability: COMMIT returns after the WAL is flushed as long as synchronous_commit is not
 * off; the writer connection warns at start when it is (the group commit relies on it).
 * A connection that breaks (server restart) is reset on the next failure; the statement that
 * saw the break fails, and later ones prepare themselves again on the new session.
 */
#include "store/db.h"

#include "core/log.h"

#include <libpq-fe.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_type.h's BYTEAOID: stable across versions, and including server headers for one
 * constant would pull in the server's include tree. */
#define PG_BYTEA_OID 17

struct db_stmt {
    const char *sql; /* as the store wrote it, for logs */
    char *pg_sql;    /* sql with $n placeholders */
    char name[24];   /* server-side prepared statement name ("" for an ad hoc one) */
    bool prepared;   /* false until prepared on the current session */
    bool once;       /* ad hoc (SQL_NONE): not cached, freed by pg_reset */
    struct db_conn *conn;

    int nparams;
    const char **values; /* NULL for SQL NULL; text points at the caller's string */
    int *lengths;
    int *formats;
    char (*nums)[24]; /* storage for bound integers rendered as text */

    PGresult *res; /* NULL until the first step */
    int row;       /* current row; == PQntuples(res) once done */
    void **blobs;  /* decoded bytea of the current row, per column */
    size_t *blob_lens;
};

/* A cached statement stays until the connection closes, as in sqlite.c. */
struct db_conn {
    PGconn *pg;
    struct db_stmt *stmts[SQL__COUNT];
    unsigned next_name;
    int64_t changes;
    char err[512]; /* the last error, one line, for errmsg() */
};

/* Copies msg (libpq's, which ends in a newline and may span indented lines) into c->err as one
 * line for the log: each run of white space becomes one space. */
static void set_err(struct db_conn *c, const char *msg)
{
    size_t n = 0;

    for (; msg && *msg && n + 1 < sizeof(c->err); msg++) {
        bool space = *msg == ' ' || *msg == '\n' || *msg == '\r' || *msg == '\t';
        if (!space)
            c->err[n++] = *msg;
        else if (n > 0 && c->err[n - 1] != ' ')
            c->err[n++] = ' ';
    }
    while (n > 0 && c->err[n - 1] == ' ')
        n--;
    c->err[n] = '\0';
}

/* Class 23 covers unique, foreign-key, not-null and check violations: the same set SQLite
 * reports as SQLITE_CONSTRAINT, which the services already map to 409. */
static sb_err map_result(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (state && strncmp(state, "23", 2) == 0)
        return SB_ERR_CONFLICT;
    if (state && strcmp(state, "53200") == 0)
        return SB_ERR_NOMEM;
    if (state && strcmp(state, "54000") == 0)
        return SB_ERR_TOO_LARGE;
    return SB_ERR_IO;
}

static bool result_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

/* Forgets every server-side statement after the session was replaced: they are prepared again
 * on their next use. */
static void reset_session(struct db_conn *c)
{
    if (PQstatus(c->pg) != CONNECTION_BAD)
        return;
    PQreset(c->pg);
    for (size_t i = 0; i < SQL__COUNT; i++)
        if (c->stmts[i])
            c->stmts[i]->prepared = false;
    if (PQstatus(c->pg) == CONNECTION_OK) {
        PQsetClientEncoding(c->pg, "UTF8");
        sb_log_warn("postgres: connection lost and re-established");
    }
}

/* Records and logs a failed result (constraint violations are expected answers, not logged),
 * resets a broken session, and returns the error code. Takes ownership of res. */
static sb_err fail_result(struct db_conn *c, PGresult *res, const char *what, const char *sql)
{
    sb_err err = map_result(res);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    set_err(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
    if (err != SB_ERR_CONFLICT)
        sb_log_error("postgres: %s failed (SQLSTATE %s): %s%s%s", what, state ? state : "none",
                     c->err, sql ? ": " : "", sql ? sql : "");
    PQclear(res);
    reset_session(c);
    return err;
}

/* Notices (e.g. "relation already exists, skipping" from CREATE TABLE IF NOT EXISTS) would go
 * to stderr by default; only warnings and worse are worth a log line. */
static void on_notice(void *arg, const PGresult *res)
{
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);

    (void)arg;
    if (sev && (strcmp(sev, "NOTICE") == 0 || strcmp(sev, "INFO") == 0 || strcmp(sev, "LOG") == 0 ||
                strncmp(sev, "DEBUG", 5) == 0))
        return;
    sb_log_warn("postgres: %s", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
}

static void free_blobs(struct db_stmt *s)
{
    int n = s->res ? PQnfields(s->res) : 0;

    for (int i = 0; s->blobs && i < n; i++) {
        PQfreemem(s->blobs[i]);
        s->blobs[i] = NULL;
    }
}

/* Forgets the last execution and the bound values: the statement is ready to bind again. */
static void clear(struct db_stmt *s)
{
    free_blobs(s);
    free(s->blobs);
    free(s->blob_lens);
    s->blobs = NULL;
    s->blob_lens = NULL;
    PQclear(s->res);
    s->res = NULL;
    s->row = 0;
    for (int i = 0; i < s->nparams; i++) {
        s->values[i] = NULL;
        s->lengths[i] = 0;
        s->formats[i] = 0;
    }
}

static void stmt_free(struct db_stmt *s)
{
    if (!s)
        return;
    clear(s);
    free(s->pg_sql);
    free(s->values);
    free(s->lengths);
    free(s->formats);
    free(s->nums);
    free(s);
}

static void pg_reset(struct db_stmt *s)
{
    if (s->once)
        stmt_free(s);
    else
        clear(s);
}

static void pg_close(struct db_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SQL__COUNT; i++)
        stmt_free(c->stmts[i]);
    PQfinish(c->pg);
    free(c);
}

static sb_err pg_exec(struct db_conn *c, const char *sql)
{
    PGresult *res = PQexec(c->pg, sql);

    if (!result_ok(res))
        return fail_result(c, res, "exec", NULL);
    PQclear(res);
    return SB_OK;
}

/* The URL for messages: the password (user:PASSWORD@) and any query string (which may hold
 * password=...) are left out. */
static void redact_url(const char *url, char *out, size_t cap)
{
    const char *scheme = strstr(url, "://");
    const char *auth = scheme ? scheme + 3 : url;
    const char *at = strchr(auth, '@');
    const char *slash = strchr(auth, '/');
    const char *colon = NULL;
    size_t end = strcspn(url, "?");

    if (at && (!slash || at < slash))
        colon = memchr(auth, ':', (size_t)(at - auth));
    if (colon)
        snprintf(out, cap, "%.*s:***%.*s", (int)(colon - url), url, (int)(end - (size_t)(at - url)),
                 at);
    else
        snprintf(out, cap, "%.*s", (int)end, url);
}

static sb_err pg_open(const char *target, enum db_role role, struct db_conn **out,
                      struct sb_diag *diag)
{
    /* Later keywords override earlier ones: the URL (expanded from dbname) may set its own
     * connect_timeout, but without one a dead host would block the start for ever. */
    static const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname",
                                       NULL};
    const char *vals[] = {"10", "switchboard", target, NULL};
    struct db_conn *c = calloc(1, sizeof(*c));
    char shown[256];
    sb_err err = SB_OK;

    *out = NULL;
    if (!c)
        return SB_ERR_NOMEM;
    redact_url(target, shown, sizeof(shown));
    c->pg = PQconnectdbParams(keys, vals, 1);
    if (!c->pg) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        set_err(c, PQerrorMessage(c->pg));
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot connect to PostgreSQL %s: %s",
                      shown, c->err);
        goto out;
    }
    PQsetNoticeReceiver(c->pg, on_notice, NULL);
    /* The schema's text is UTF-8 whatever the client's locale says. */
    if (PQsetClientEncoding(c->pg, "UTF8") != 0) {
        set_err(c, PQerrorMessage(c->pg));
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable",
                      "cannot set client encoding UTF8 on PostgreSQL %s: %s", shown, c->err);
        goto out;
    }
    if (role == DB_WRITER) {
        /* A 200 promises the change is durable; with synchronous_commit=off it is not. The
         * operator may have reasons (a synchronous standby setting), so warn, do not override. */
        PGresult *res = PQexec(c->pg, "SELECT current_setting('synchronous_commit')");
        if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
            strcmp(PQgetvalue(res, 0, 0), "off") == 0)
            sb_log_warn("postgres: synchronous_commit is off on %s: an acknowledged write can "
                        "be lost if the database server crashes",
                        shown);
        PQclear(res);
    } else if (role == DB_READER) {
        /* Readers cannot write: the store's writes go through the writer (and counters
         * through their own connections); PostgreSQL refuses a reader's write. */
        if (pg_exec(c, "SET default_transaction_read_only = on")) {
            err = sb_fail(diag, SB_ERR_IO, "storeUnavailable",
                          "cannot make a reader read-only on PostgreSQL %s: %s", shown, c->err);
            goto out;
        }
    } else if (role == DB_COUNTER) {
        /* Counters (rate.c) are worth nothing after a crash: not waiting for their WAL flush
         * answers a throttled post without a disk sync. */
        PGresult *res = PQexec(c->pg, "SET synchronous_commit = off");
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            sb_log_warn("postgres: cannot turn synchronous_commit off for counters on %s", shown);
        PQclear(res);
    }
    *out = c;
    c = NULL;
out:
    pg_close(c);
    return err;
}

/* Prepares s on the connection's current session. */
static sb_err server_prepare(struct db_stmt *s)
{
    PGresult *res = PQprepare(s->conn->pg, s->name, s->pg_sql, s->nparams, NULL);

    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        return fail_result(s->conn, res, "prepare", s->sql);
    PQclear(res);
    s->prepared = true;
    return SB_OK;
}

static sb_err pg_prepare(struct db_conn *c, enum db_sql id, const char *sql, struct db_stmt **out)
{
    bool once = id == SQL_NONE;
    struct db_stmt *s;
    size_t n;
    sb_err err;

    *out = once ? NULL : c->stmts[id];
    if (*out)
        return SB_OK;
    s = calloc(1, sizeof(*s));
    if (!s)
        return SB_ERR_NOMEM;
    s->sql = sql;
    s->conn = c;
    s->pg_sql = db_pg_placeholders(sql, &s->nparams);
    n = s->nparams > 0 ? (size_t)s->nparams : 1;
    s->values = calloc(n, sizeof(*s->values));
    s->lengths = calloc(n, sizeof(*s->lengths));
    s->formats = calloc(n, sizeof(*s->formats));
    s->nums = calloc(n, sizeof(*s->nums));
    if (!s->pg_sql || !s->values || !s->lengths || !s->formats || !s->nums) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    /* An ad hoc statement is the session's unnamed one, replaced by the next ad hoc prepare. */
    if (!once)
        snprintf(s->name, sizeof(s->name), "sb%u", c->next_name++);
    err = server_prepare(s);
    if (err)
        goto out;
    s->once = once;
    if (!once)
        c->stmts[id] = s;
    *out = s;
    s = NULL;
out:
    stmt_free(s);
    return err;
}

static sb_err check_idx(struct db_stmt *s, int idx)
{
    if (idx >= 1 && idx <= s->nparams)
        return SB_OK;
    sb_log_error("postgres: parameter %d out of range (statement has %d): %s", idx, s->nparams,
                 s->sql);
    return SB_ERR_IO;
}

/* Like SQLITE_STATIC: the value must stay valid until the statement is reset. */
static sb_err pg_bind_text(struct db_stmt *s, int idx, const char *v)
{
    sb_err err = check_idx(s, idx);

    if (err)
        return err;
    s->values[idx - 1] = v;
    s->lengths[idx - 1] = 0;
    s->formats[idx - 1] = 0;
    return SB_OK;
}

static sb_err pg_bind_null(struct db_stmt *s, int idx)
{
    return pg_bind_text(s, idx, NULL);
}

static sb_err pg_bind_int64(struct db_stmt *s, int idx, int64_t v)
{
    sb_err err = check_idx(s, idx);

    if (err)
        return err;
    snprintf(s->nums[idx - 1], sizeof(s->nums[idx - 1]), "%lld", (long long)v);
    return pg_bind_text(s, idx, s->nums[idx - 1]);
}

static sb_err pg_bind_blob(struct db_stmt *s, int idx, const void *v, size_t n)
{
    sb_err err = check_idx(s, idx);

    if (err)
        return err;
    if (n > (size_t)INT32_MAX)
        return SB_ERR_TOO_LARGE;
    /* A NULL pointer is SQL NULL, as sqlite3_bind_blob treats it. An empty blob still needs a
     * non-NULL value pointer for libpq. */
    s->values[idx - 1] = v ? (n ? v : "") : NULL;
    s->lengths[idx - 1] = (int)n;
    s->formats[idx - 1] = 1;
    return SB_OK;
}

static sb_err pg_step(struct db_stmt *s, bool *row)
{
    struct db_conn *c = s->conn;
    PGresult *res;
    sb_err err;

    *row = false;
    if (s->res) {
        free_blobs(s);
        if (s->row < PQntuples(s->res))
            s->row++;
        *row = s->row < PQntuples(s->res);
        return SB_OK;
    }
    if (!s->prepared) {
        err = server_prepare(s);
        if (err)
            return err;
    }
    res = PQexecPrepared(c->pg, s->name, s->nparams, s->values, s->lengths, s->formats, 0);
    if (!result_ok(res))
        return fail_result(c, res, "statement", s->sql);
    /* sqlite3_changes counts INSERT/UPDATE/DELETE only; a SELECT must not overwrite it. */
    if (strncmp(PQcmdStatus(res), "SELECT", 6) != 0)
        c->changes = strtoll(PQcmdTuples(res), NULL, 10);
    s->blobs = calloc((size_t)PQnfields(res) + 1, sizeof(*s->blobs));
    s->blob_lens = calloc((size_t)PQnfields(res) + 1, sizeof(*s->blob_lens));
    if (!s->blobs || !s->blob_lens) {
        PQclear(res);
        return SB_ERR_NOMEM;
    }
    s->res = res;
    s->row = 0;
    *row = PQntuples(res) > 0;
    return SB_OK;
}

static bool has_value(struct db_stmt *s, int idx)
{
    return s->res && s->row < PQntuples(s->res) && idx >= 0 && idx < PQnfields(s->res) &&
           !PQgetisnull(s->res, s->row, idx);
}

static const char *pg_col_text(struct db_stmt *s, int idx)
{
    return has_value(s, idx) ? PQgetvalue(s->res, s->row, idx) : NULL;
}

static int64_t pg_col_int64(struct db_stmt *s, int idx)
{
    const char *v = pg_col_text(s, idx);

    if (!v)
        return 0;
    /* Boolean expressions come back as 't'/'f'; the shared SQL reads them as integers. */
    if (v[0] == 't' && !v[1])
        return 1;
    if (v[0] == 'f' && !v[1])
        return 0;
    return strtoll(v, NULL, 10);
}

static const void *pg_col_blob(struct db_stmt *s, int idx, size_t *n)
{
    const char *v = pg_col_text(s, idx);

    *n = 0;
    if (!v)
        return NULL;
    if (PQftype(s->res, idx) != PG_BYTEA_OID) {
        *n = strlen(v);
        return v;
    }
    /* Text results carry bytea as \x<hex> (or the old escape format, per bytea_output);
     * PQunescapeBytea reads both. Decoded once per row and column, freed on the next step. */
    if (!s->blobs[idx]) {
        s->blobs[idx] = PQunescapeBytea((const unsigned char *)v, &s->blob_lens[idx]);
        if (!s->blobs[idx])
            return NULL;
    }
    *n = s->blob_lens[idx];
    return s->blobs[idx];
}

static int64_t pg_changes(struct db_conn *c)
{
    return c->changes;
}

static const char *pg_errmsg(struct db_conn *c)
{
    return c->err[0] ? c->err : PQerrorMessage(c->pg);
}

/* One LISTEN connection per process. Notifications arrive on the socket; a short poll lets the
 * loop notice *stop, and a broken connection is re-opened after a second. */
static sb_err pg_listen(const char *target, void (*fn)(void *arg, const char *payload), void *arg,
                        const atomic_int *stop)
{
    struct sb_diag diag = {{0}, {0}};

    while (!atomic_load(stop)) {
        struct db_conn *c = NULL;
        PGnotify *n;

        if (pg_open(target, DB_READER, &c, &diag) != SB_OK || !c ||
            pg_exec(c, "LISTEN switchboard")) {
            pg_close(c);
            for (int i = 0; i < 10 && !atomic_load(stop); i++)
                poll(NULL, 0, 100);
            continue;
        }
        while (!atomic_load(stop)) {
            struct pollfd pfd = {PQsocket(c->pg), POLLIN, 0};

            if (poll(&pfd, 1, 250) < 0 && errno != EINTR)
                break;
            if (!PQconsumeInput(c->pg))
                break;
            while ((n = PQnotifies(c->pg))) {
                fn(arg, n->extra);
                PQfreemem(n);
            }
        }
        if (!atomic_load(stop))
            sb_log_warn("postgres: the notification connection broke; reconnecting");
        pg_close(c);
    }
    return SB_OK;
}

const struct db_driver db_postgres = {
    .name = "postgres",
    /* Plain BEGIN: the group-commit thread is the only writer of this process, and row locks
     * are taken by the statements themselves. */
    .begin_sql = "BEGIN",
    /* Two processes starting at once on an empty database would both try to create the schema;
     * this lock (released at COMMIT/ROLLBACK) makes the second wait and then see it done. */
    .migrate_lock_sql = "SELECT pg_advisory_xact_lock(hashtext('switchboard.migrations'))",
    /* Delivered to every listener when the writing transaction commits, never before. */
    /* One payload, or a batch's joined by newlines (db_notify_flush): one notification each,
     * in their order, from one statement. */
    .notify_sql = "SELECT pg_notify('switchboard', p) FROM unnest(string_to_array(?, E'\\n')) AS p",
    .listen = pg_listen,
    .seq_lock_sql = "SELECT pg_advisory_lock(hashtext('switchboard.messages.seq'))",
    .seq_unlock_sql = "SELECT pg_advisory_unlock(hashtext('switchboard.messages.seq'))",
    /* A simple query of two statements: one round trip, still inside the transaction. */
    .savepoint_next_sql = "RELEASE w; SAVEPOINT w",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_null = pg_bind_null,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_int64 = pg_col_int64,
    .col_blob = pg_col_blob,
    .reset = pg_reset,
    .changes = pg_changes,
    .errmsg = pg_errmsg,
};
