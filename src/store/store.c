/*
 * store.c: opening and closing the store, the group-commit writer, and the delivery of
 * notifications. The driver (sqlite.c, postgres.c) is chosen by the URL's scheme; each has its
 * own migrations (applied by migrate.c). The connection pools are pool.c's, the read helpers
 * select.c's, ping and meta meta.c's.
 *
 * Notifications (db_notify) reach store_listen's callback on one thread, in commit order: from
 * PostgreSQL's LISTEN connection, or, where the driver has none (SQLite), from a feed thread
 * to which the writer hands each committed batch's notifications. Publishing live events from
 * there (teams/remote.c) is what keeps them in commit order.
 */
#include "store/internal.h"
#include "store/message_search.h"

#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define BATCH_MAX 512
/* Connections for counters (rate.c) on a shared database: each upsert is one round trip in
 * autocommit, so two keep a burst of throttled posts from queueing behind one. */
#define COUNTER_CONNS 2

struct write_op {
    store_write_fn fn;
    void *arg;
    sb_err result;
    bool done;
    store_done_fn on_done; /* asynchronous writes: called after the commit, op is heap */
    void *done_arg;
    struct write_op *next;
};

struct store {
    const struct db_driver *drv;
    char *target;

    /* group commit */
    struct db_conn *writer;
    pthread_t writer_thread;
    bool writer_started;
    pthread_mutex_t wmu;
    pthread_cond_t wake;      /* signalled when work is queued or on stop */
    pthread_cond_t committed; /* broadcast after each batch */
    struct write_op *head, *tail;
    bool stopping;
    bool collect_notes;             /* a local listener waits for the batches' notifications */
    uint64_t enqueued, finished;    /* writes ever queued / ever committed or failed */
    struct store_prune_stats prune; /* under wmu */

    /* cross-process notifications (PostgreSQL); node_id tells our own apart */
    char node_id[33];
    pthread_t listener;
    bool listener_started;
    atomic_int listener_stop; /* set by store_close, read by the listener thread */
    store_notify_fn on_notify;
    void *notify_arg;

    /* a test's fault plan (store_fault_set); NULL in production */
    struct store_fault *_Atomic fault;

    /* the local feed (drivers without listen): committed batches' notifications, in order */
    pthread_t feed;
    bool feed_started, feed_stop;
    pthread_mutex_t fmu;
    pthread_cond_t fwake;
    struct feed_chunk *fhead, **ftail;

    struct store_pool readers;  /* DB_READER connections */
    struct store_pool counters; /* DB_COUNTER connections (rate.c) */
};

/* One committed batch's notifications: NUL-terminated payloads back to back. */
struct feed_chunk {
    struct feed_chunk *next;
    char *data;
    size_t len;
};

static void feed_chunk_free(struct feed_chunk *c)
{
    if (c) {
        free(c->data);
        free(c);
    }
}

/* Hands a committed batch's notifications to the feed thread (the writer calls it, batch after
 * batch, so the feed sees them in commit order). Takes notes' contents. */
static void feed_push(struct store *st, struct sb_buf *notes)
{
    struct feed_chunk *c = malloc(sizeof(*c));

    if (!c) {
        /* The events are stored; subscribers get them with the next batch's catch-up. */
        sb_log_warn("store: out of memory; a batch's notifications are late");
        sb_buf_free(notes);
        return;
    }
    c->next = NULL;
    c->len = notes->len;
    c->data = sb_buf_take(notes);
    pthread_mutex_lock(&st->fmu);
    if (st->feed_stop) {
        feed_chunk_free(c);
    } else {
        *st->ftail = c;
        st->ftail = &c->next;
        pthread_cond_signal(&st->fwake);
    }
    pthread_mutex_unlock(&st->fmu);
}

static void *feed_main(void *arg)
{
    struct store *st = arg;

    pthread_setname_np(pthread_self(), "sb-feed");
    pthread_mutex_lock(&st->fmu);
    for (;;) {
        struct feed_chunk *c;

        while (!st->fhead && !st->feed_stop)
            pthread_cond_wait(&st->fwake, &st->fmu);
        if (st->feed_stop)
            break;
        c = st->fhead;
        st->fhead = c->next;
        if (!st->fhead)
            st->ftail = &st->fhead;
        pthread_mutex_unlock(&st->fmu);
        for (size_t off = 0; off < c->len; off += strlen(c->data + off) + 1)
            st->on_notify(st->notify_arg, c->data + off);
        feed_chunk_free(c);
        pthread_mutex_lock(&st->fmu);
    }
    pthread_mutex_unlock(&st->fmu);
    return NULL;
}

/* Forgets the notifications of a write that was rolled back to its savepoint. */
static void notes_truncate(struct sb_buf *notes, size_t len)
{
    if (notes && notes->data && notes->len > len) {
        notes->len = len;
        notes->data[len] = '\0';
    }
}

/* Opens the savepoint of the batch's next write: where the driver can, the previous write's
 * RELEASE goes in the same round trip. */
static sb_err next_savepoint(struct db *d, bool first)
{
    if (!first && d->drv->savepoint_next_sql)
        return d->drv->exec(d->conn, d->drv->savepoint_next_sql);
    sb_err err = first ? SB_OK : db_run(d, NULL, SQL_BATCH_RELEASE, DB_NO_ARGS);

    return err ? err : db_run(d, NULL, SQL_BATCH_SAVEPOINT, DB_NO_ARGS);
}

static sb_err run_batch(struct store *st, struct write_op *batch, struct sb_buf *notes)
{
    struct sb_buf pg_notes = {0};
    struct db_memo memo = {{{0}}, 0};
    struct db d = {st->drv, st->writer, st->node_id, notes, false, NULL, false, false, &memo};
    /* The writes' own statements see a test's fault plan (fault.c); the batch's do not. */
    struct store_fault *fault = atomic_load(&st->fault);
    sb_err err;

    /* Cross-process notifications too: one statement before the COMMIT (db_notify_flush). */
    if (st->drv->notify_sql)
        d.notes = &pg_notes;
    err = db_run(&d, NULL, SQL_BEGIN, DB_NO_ARGS);
    if (err)
        goto out;
    d.defer_index = db_is_sqlite(&d);
    /* Each write gets a savepoint, so one failing write does not undo the others. The
     * statements are prepared once (db_run caches them), not parsed per write. */
    for (struct write_op *op = batch; op; op = op->next) {
        size_t mark = d.notes ? d.notes->len : 0;

        err = next_savepoint(&d, op == batch);
        if (err)
            goto fail;
        d.fault = fault;
        op->result = op->fn(&d, op->arg);
        d.fault = NULL;
        if (op->result) {
            notes_truncate(d.notes, mark);
            err = db_run(&d, NULL, SQL_BATCH_ROLLBACK, DB_NO_ARGS);
            if (err)
                goto fail;
        }
    }
    err = db_run(&d, NULL, SQL_BATCH_RELEASE, DB_NO_ARGS);
    if (err)
        goto fail;
    /* After the last savepoint: a write rolled back to its savepoint took its queued text
     * with it (the queue is a table of the same transaction). */
    err = store_message_index_flush(&d);
    if (!err && st->drv->notify_sql)
        err = db_notify_flush(&d);
    if (err)
        goto fail;
    err = db_run(&d, NULL, SQL_BATCH_COMMIT, DB_NO_ARGS);
    if (!err)
        goto out;
fail:
    st->drv->exec(st->writer, "ROLLBACK");
    notes_truncate(notes, 0);
out:
    /* After the COMMIT, never before: another process's seq must not commit ahead of ours. */
    if (d.seq_locked && st->drv->exec(st->writer, st->drv->seq_unlock_sql) != SB_OK)
        sb_log_warn("store: cannot release the message order lock: %s",
                    st->drv->errmsg(st->writer));
    sb_buf_free(&pg_notes);
    return err;
}

static void *writer_main(void *arg)
{
    struct store *st = arg;

    pthread_setname_np(pthread_self(), "sb-writer");
    pthread_mutex_lock(&st->wmu);
    for (;;) {
        struct write_op *batch, *last, *async_head = NULL, **async_tail = &async_head;
        struct sb_buf notes = {0};
        bool collect;
        size_t n = 1;
        sb_err err;

        while (!st->head && !st->stopping)
            pthread_cond_wait(&st->wake, &st->wmu);
        if (!st->head)
            break;
        /* Everything queued while the previous batch was syncing goes into this one. */
        batch = last = st->head;
        while (last->next && n < BATCH_MAX) {
            last = last->next;
            n++;
        }
        st->head = last->next;
        if (!st->head)
            st->tail = NULL;
        last->next = NULL;
        collect = st->collect_notes;
        pthread_mutex_unlock(&st->wmu);

        err = run_batch(st, batch, collect ? &notes : NULL);
        if (notes.len)
            feed_push(st, &notes);
        sb_buf_free(&notes);

        /* Synchronous writers wait on their own stack frames: mark them and never touch them
         * again after the broadcast. Asynchronous ops are heap and are told outside the lock. */
        pthread_mutex_lock(&st->wmu);
        for (struct write_op *op = batch, *next; op; op = next) {
            next = op->next;
            if (err)
                op->result = err;
            if (op->on_done) {
                op->next = NULL;
                *async_tail = op;
                async_tail = &op->next;
            } else {
                op->done = true;
            }
        }
        st->finished += n;
        pthread_cond_broadcast(&st->committed);
        pthread_mutex_unlock(&st->wmu);
        for (struct write_op *op = async_head, *next; op; op = next) {
            next = op->next;
            op->on_done(op->done_arg, op->result);
            free(op);
        }
        pthread_mutex_lock(&st->wmu);
    }
    pthread_mutex_unlock(&st->wmu);
    return NULL;
}

/* Queues op for the next batch; false when the store is closing. Called with wmu held. */
static bool enqueue(struct store *st, struct write_op *op)
{
    if (st->stopping)
        return false;
    if (st->tail)
        st->tail->next = op;
    else
        st->head = op;
    st->tail = op;
    st->enqueued++;
    pthread_cond_signal(&st->wake);
    return true;
}

void store_write_flush(struct store *st)
{
    uint64_t target;

    pthread_mutex_lock(&st->wmu);
    /* The writer drains its queue even when stopping, so this always ends. */
    target = st->enqueued;
    while (st->finished < target)
        pthread_cond_wait(&st->committed, &st->wmu);
    pthread_mutex_unlock(&st->wmu);
}

size_t store_write_backlog(struct store *st)
{
    size_t n;

    pthread_mutex_lock(&st->wmu);
    n = (size_t)(st->enqueued - st->finished);
    pthread_mutex_unlock(&st->wmu);
    return n;
}

size_t store_write_queue_depth(struct store *st)
{
    size_t n = 0;

    pthread_mutex_lock(&st->wmu);
    for (struct write_op *op = st->head; op; op = op->next)
        n++;
    pthread_mutex_unlock(&st->wmu);
    return n;
}

sb_err store_write(struct store *st, store_write_fn fn, void *arg)
{
    struct write_op op = {fn, arg, SB_OK, false, NULL, NULL, NULL};

    pthread_mutex_lock(&st->wmu);
    if (!enqueue(st, &op)) {
        pthread_mutex_unlock(&st->wmu);
        return SB_ERR_UNAVAILABLE;
    }
    while (!op.done)
        pthread_cond_wait(&st->committed, &st->wmu);
    pthread_mutex_unlock(&st->wmu);
    return op.result;
}

sb_err store_write_async(struct store *st, store_write_fn fn, void *arg, store_done_fn done,
                         void *done_arg)
{
    struct write_op *op = calloc(1, sizeof(*op));
    bool queued;

    if (!op)
        return SB_ERR_NOMEM;
    op->fn = fn;
    op->arg = arg;
    op->on_done = done;
    op->done_arg = done_arg;
    pthread_mutex_lock(&st->wmu);
    queued = enqueue(st, op);
    pthread_mutex_unlock(&st->wmu);
    if (!queued) {
        free(op);
        return SB_ERR_UNAVAILABLE;
    }
    return SB_OK;
}

sb_err store_prune_batches(struct store *st, store_write_fn fn, struct store_prune *p)
{
    sb_err err;

    do {
        p->deleted = 0;
        err = store_write(st, fn, p);
        if (err)
            return err;
        pthread_mutex_lock(&st->wmu);
        st->prune.transactions++;
        st->prune.rows += (uint64_t)p->deleted;
        if ((uint64_t)p->deleted > st->prune.max_rows)
            st->prune.max_rows = (uint64_t)p->deleted;
        pthread_mutex_unlock(&st->wmu);
    } while (p->deleted >= STORE_PRUNE_BATCH);
    return SB_OK;
}

void store_prune_stats(struct store *st, struct store_prune_stats *out)
{
    pthread_mutex_lock(&st->wmu);
    *out = st->prune;
    pthread_mutex_unlock(&st->wmu);
}

sb_err store_read_begin(struct store *st, struct db *out)
{
    store_pool_take(&st->readers, out);
    return SB_OK;
}

void store_read_end(struct store *st, struct db *d)
{
    store_pool_give(&st->readers, d);
}

sb_err store_count_begin(struct store *st, struct db *out)
{
    store_pool_take(&st->counters, out);
    return SB_OK;
}

void store_count_end(struct store *st, struct db *d)
{
    store_pool_give(&st->counters, d);
}

/* A random id for this process, so that it can ignore its own notifications. */
static void new_node_id(char out[33])
{
    unsigned char raw[16];
    static const char digits[] = "0123456789abcdef";

    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        memset(raw, 0, sizeof(raw)); /* only the same-process test then weakens */
    for (size_t i = 0; i < sizeof(raw); i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[32] = '\0';
}

static void *listener_main(void *arg)
{
    struct store *st = arg;

    pthread_setname_np(pthread_self(), "sb-listener");
    st->drv->listen(st->target, st->on_notify, st->notify_arg, &st->listener_stop);
    return NULL;
}

sb_err store_listen(struct store *st, store_notify_fn fn, void *arg)
{
    if (st->listener_started || st->feed_started)
        return SB_OK;
    st->on_notify = fn;
    st->notify_arg = arg;
    if (!st->drv->listen) {
        if (pthread_create(&st->feed, NULL, feed_main, st) != 0)
            return SB_ERR_IO;
        st->feed_started = true;
        pthread_mutex_lock(&st->wmu);
        st->collect_notes = true;
        pthread_mutex_unlock(&st->wmu);
        return SB_OK;
    }
    if (pthread_create(&st->listener, NULL, listener_main, st) != 0)
        return SB_ERR_IO;
    st->listener_started = true;
    return SB_OK;
}

const char *store_node_id(const struct store *st)
{
    return st->node_id;
}

sb_err store_open(const struct store_opts *opts, struct store **out, struct sb_diag *diag)
{
    struct store *st = calloc(1, sizeof(*st));
    const struct store_migration *migs;
    size_t nmigs;
    sb_err err = SB_OK;

    *out = NULL;
    if (!st)
        return SB_ERR_NOMEM;
    pthread_mutex_init(&st->wmu, NULL);
    pthread_cond_init(&st->wake, NULL);
    pthread_cond_init(&st->committed, NULL);
    store_pool_init(&st->readers);
    store_pool_init(&st->counters);
    pthread_mutex_init(&st->fmu, NULL);
    pthread_cond_init(&st->fwake, NULL);
    st->ftail = &st->fhead;
    if (strncmp(opts->url, "sqlite:", 7) == 0) {
        st->drv = &db_sqlite;
        st->target = strdup(opts->url + 7);
        migs = store_migrations_sqlite;
        nmigs = store_migrations_sqlite_count;
    } else if (strncmp(opts->url, "postgres://", 11) == 0 ||
               strncmp(opts->url, "postgresql://", 13) == 0) {
        /* libpq takes the whole URL as its conninfo. */
        st->drv = &db_postgres;
        st->target = strdup(opts->url);
        migs = store_migrations_postgres;
        nmigs = store_migrations_postgres_count;
    } else {
        err = sb_fail(diag, SB_ERR_INVALID, "invalidDatabase",
                      "unsupported --db URL '%s' (expected sqlite:<path> or "
                      "postgres://user:password@host:port/dbname)",
                      opts->url);
        goto out;
    }
    if (!st->target) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = st->drv->open(st->target, DB_WRITER, &st->writer, diag);
    if (err)
        goto out;
    err = store_migrate(st->drv, st->writer, migs, nmigs, diag);
    if (err)
        goto out;
    err = store_pool_open(&st->readers, st->target, opts->readers > 0 ? (size_t)opts->readers : 1,
                          DB_READER, st->drv, diag);
    /* SQLite has one write lock per database: a second counter connection would only wait
     * on the first. */
    if (!err)
        err = store_pool_open(&st->counters, st->target, st->drv->notify_sql ? COUNTER_CONNS : 1,
                              DB_COUNTER, st->drv, diag);
    if (err)
        goto out;
    new_node_id(st->node_id);
    if (pthread_create(&st->writer_thread, NULL, writer_main, st) != 0) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot start the writer thread");
        goto out;
    }
    st->writer_started = true;
    /* Messages stored before the search index existed (migration 014) are indexed before the
     * store is used; afterwards every write of a message indexes it. */
    if ((err = store_message_index_backfill(st, NULL))) {
        sb_fail(diag, err, "storeUnavailable", "cannot index the stored messages for search");
        goto out;
    }
    *out = st;
    st = NULL;
out:
    store_close(st);
    return err;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->listener_started) {
        atomic_store(&st->listener_stop, 1);
        pthread_join(st->listener, NULL);
    }
    if (st->feed_started) {
        pthread_mutex_lock(&st->fmu);
        st->feed_stop = true;
        pthread_cond_signal(&st->fwake);
        pthread_mutex_unlock(&st->fmu);
        pthread_join(st->feed, NULL);
    }
    if (st->writer_started) {
        pthread_mutex_lock(&st->wmu);
        st->stopping = true;
        pthread_cond_signal(&st->wake);
        pthread_mutex_unlock(&st->wmu);
        pthread_join(st->writer_thread, NULL);
    }
    store_pool_close(&st->readers);
    store_pool_close(&st->counters);
    if (st->writer)
        st->drv->close(st->writer);
    pthread_mutex_destroy(&st->wmu);
    pthread_cond_destroy(&st->wake);
    pthread_cond_destroy(&st->committed);
    while (st->fhead) {
        struct feed_chunk *c = st->fhead;
        st->fhead = c->next;
        feed_chunk_free(c);
    }
    pthread_mutex_destroy(&st->fmu);
    pthread_cond_destroy(&st->fwake);
    free(st->target);
    free(st);
}

void store_fault_set(struct store *st, struct store_fault *f)
{
    atomic_store(&st->fault, f);
}

const struct db_driver *store_driver(const struct store *st)
{
    return st->drv;
}

const char *store_target(const struct store *st)
{
    return st->target;
}
