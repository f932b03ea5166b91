/*
 * graphconn.c: Graph connectors in the store: app registrations, the admin switch, external
 * connections and their schema operations. Items, external groups and the search are in
 * graphconn_items.c.
 *
 * The full-text index differs by driver (an FTS5 table on SQLite, a tsvector column on
 * PostgreSQL), so the few statements that touch it come in two dialects; everything else is
 * written once.
 */
#include "store/graphconn.h"

#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- registrations ---- */

static void read_reg(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_gc_registration *r = elem;
    size_t n = 0;
    const void *h;

    db_col_copy(d, s, 0, r->id, sizeof(r->id));
    db_col_copy(d, s, 1, r->app_id, sizeof(r->app_id));
    db_col_copy(d, s, 2, r->display_name, sizeof(r->display_name));
    h = d->drv->col_blob(s, 3, &n);
    if (h && n == sizeof(r->secret_hash))
        memcpy(r->secret_hash, h, n);
    db_col_copy(d, s, 4, r->created_by, sizeof(r->created_by));
    db_col_copy(d, s, 5, r->created, sizeof(r->created));
    db_col_copy(d, s, 6, r->public_key, sizeof(r->public_key));
}

struct reg_write {
    const struct sb_gc_registration *r;
    const char *id;
    const struct sb_audit *audit;
};

static sb_err reg_insert_fn(struct db *d, void *arg)
{
    const struct reg_write *w = arg;
    const struct sb_gc_registration *r = w->r;
    sb_err err;

    err = db_run(d, NULL, SQL_GC_REGISTRATION_INSERT,
                 DB_ARGS(db_text(r->id), db_text(r->app_id[0] ? r->app_id : NULL),
                         db_text(r->display_name), db_blob(r->secret_hash, sizeof(r->secret_hash)),
                         db_text(r->public_key), db_text(r->created_by), db_text(r->created)));
    return err ? err : store_audit_insert_tx(d, w->audit);
}

sb_err store_gc_registration_insert(struct store *st, const struct sb_gc_registration *r,
                                    const struct sb_audit *audit)
{
    struct reg_write w = {r, NULL, audit};

    return store_write(st, reg_insert_fn, &w);
}

sb_err store_gc_registration_get(struct store *st, const char *id, struct sb_gc_registration *out)
{
    return store_select_one(st, SQL_GC_REGISTRATION_GET, read_reg, out, DB_ARGS(db_text(id)));
}

sb_err store_gc_registration_list(struct store *st, struct sb_gc_registration **out, size_t *n)
{
    return store_select_all(st, SQL_GC_REGISTRATION_LIST, read_reg, NULL, sizeof(**out),
                            (void **)out, n, DB_NO_ARGS);
}

static sb_err reg_delete_fn(struct db *d, void *arg)
{
    const struct reg_write *w = arg;
    sb_err err = db_run_one(d, SQL_GC_REGISTRATION_DELETE, DB_ARGS(db_text(w->id)));

    return err ? err : store_audit_insert_tx(d, w->audit);
}

sb_err store_gc_registration_delete(struct store *st, const char *id, const struct sb_audit *audit)
{
    struct reg_write w = {NULL, id, audit};

    return store_write(st, reg_delete_fn, &w);
}

struct blob {
    void **data;
    size_t *len;
    sb_err err;
};

static void read_blob(struct db *d, struct db_stmt *s, void *elem)
{
    struct blob *b = elem;
    size_t n = 0;
    const void *p = d->drv->col_blob(s, 0, &n);

    *b->data = malloc(n ? n : 1);
    if (!*b->data) {
        b->err = SB_ERR_NOMEM;
        return;
    }
    if (n)
        memcpy(*b->data, p, n);
    *b->len = n;
}

sb_err store_gc_app_package(struct store *st, const char *app_id, void **data, size_t *len)
{
    struct blob b = {data, len, SB_OK};
    sb_err err;

    *data = NULL;
    *len = 0;
    err = store_select_one(st, SQL_GC_APP_PACKAGE, read_blob, &b, DB_ARGS(db_text(app_id)));
    return err ? err : b.err;
}

/* ---- the admin switch ---- */

static void read_switch(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_gc_switch *w = elem;

    db_col_copy(d, s, 0, w->app_id, sizeof(w->app_id));
    w->enabled = db_col_int(d, s, 1) != 0;
    db_col_copy(d, s, 2, w->ticket, sizeof(w->ticket));
    db_col_copy(d, s, 3, w->job_id, sizeof(w->job_id));
    db_col_copy(d, s, 4, w->updated_by, sizeof(w->updated_by));
    db_col_copy(d, s, 5, w->updated, sizeof(w->updated));
}

struct switch_set {
    const struct sb_gc_switch *sw;
    const struct sb_outbox_job *job;
    const char *payload;
    const struct sb_audit *audit;
};

static sb_err switch_set_fn(struct db *d, void *arg)
{
    const struct switch_set *ss = arg;
    const struct sb_gc_switch *w = ss->sw;
    sb_err err;

    err = db_run(d, NULL, SQL_GC_SWITCH_SET,
                 DB_ARGS(db_text(w->app_id), db_bool(w->enabled), db_text(w->ticket),
                         db_text(w->job_id), db_text(w->updated_by), db_text(w->updated)));
    if (!err)
        err = store_outbox_insert_tx(d, ss->job, ss->payload);
    return err ? err : store_audit_insert_tx(d, ss->audit);
}

sb_err store_gc_switch_set(struct store *st, const struct sb_gc_switch *sw,
                           const struct sb_outbox_job *job, const char *payload,
                           const struct sb_audit *audit)
{
    struct switch_set ss = {sw, job, payload, audit};

    return store_write(st, switch_set_fn, &ss);
}

sb_err store_gc_switch_get(struct store *st, const char *app_id, struct sb_gc_switch *out)
{
    return store_select_one(st, SQL_GC_SWITCH_GET, read_switch, out, DB_ARGS(db_text(app_id)));
}

/* ---- connections ---- */

static void read_conn(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_gc_connection *c = elem;

    c->pk = db_col_int(d, s, 0);
    db_col_copy(d, s, 1, c->id, sizeof(c->id));
    db_col_copy(d, s, 2, c->owner, sizeof(c->owner));
    db_col_copy(d, s, 3, c->name, sizeof(c->name));
    db_col_copy(d, s, 4, c->description, sizeof(c->description));
    db_col_copy(d, s, 5, c->state, sizeof(c->state));
    db_col_copy(d, s, 6, c->connector_id, sizeof(c->connector_id));
    (void)db_col_dup(d, s, 7, &c->extra);
    (void)db_col_dup(d, s, 8, &c->schema);
    db_col_copy(d, s, 9, c->created, sizeof(c->created));
}

void store_gc_connection_free(struct sb_gc_connection *c)
{
    if (!c)
        return;
    free(c->extra);
    free(c->schema);
    c->extra = c->schema = NULL;
}

static void release_conn(void *elem)
{
    store_gc_connection_free(elem);
}

void store_gc_connection_free_array(struct sb_gc_connection *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++)
        store_gc_connection_free(&c[i]);
    free(c);
}

static sb_err conn_insert_fn(struct db *d, void *arg)
{
    struct sb_gc_connection *c = arg;
    struct db_stmt *s = NULL;
    sb_err err;
    bool row = false;

    err = db_query(d, SQL_GC_CONNECTION_INSERT, &s,
                   DB_ARGS(db_text(c->id), db_text(c->owner), db_text(c->name),
                           db_text(c->description), db_text(c->state), db_text(c->connector_id),
                           db_text(c->extra ? c->extra : "{}"), db_text(c->created)));
    if (err)
        return err;
    err = db_step(d, s, &row);
    if (!err && row) {
        c->pk = db_col_int(d, s, 0);
        /* RETURNING rows must be stepped to completion before the statement is reset. */
        err = db_step(d, s, &row);
    }
    db_done(d, s);
    return err;
}

sb_err store_gc_connection_insert(struct store *st, struct sb_gc_connection *c)
{
    return store_write(st, conn_insert_fn, c);
}

sb_err store_gc_connection_get(struct store *st, const char *id, struct sb_gc_connection *out)
{
    memset(out, 0, sizeof(*out));
    return store_select_one(st, SQL_GC_CONNECTION_GET, read_conn, out, DB_ARGS(db_text(id)));
}

sb_err store_gc_connection_list(struct store *st, const char *owner, struct sb_gc_connection **out,
                                size_t *n)
{
    if (owner)
        return store_select_all(st, SQL_GC_CONNECTION_LIST_BY_OWNER, read_conn, release_conn,
                                sizeof(**out), (void **)out, n, DB_ARGS(db_text(owner)));
    return store_select_all(st, SQL_GC_CONNECTION_LIST_ALL, read_conn, release_conn, sizeof(**out),
                            (void **)out, n, DB_NO_ARGS);
}

static void read_count(struct db *d, struct db_stmt *s, void *elem)
{
    *(int64_t *)elem = db_col_int(d, s, 0);
}

sb_err store_gc_connection_count(struct store *st, int64_t *n)
{
    return store_select_one(st, SQL_GC_CONNECTION_COUNT, read_count, n, DB_NO_ARGS);
}

sb_err store_gc_item_count(struct store *st, int64_t conn_pk, int64_t *n)
{
    return store_select_one(st, SQL_GC_ITEM_COUNT, read_count, n, DB_ARGS(db_int(conn_pk)));
}

static sb_err conn_update_fn(struct db *d, void *arg)
{
    const struct sb_gc_connection *c = arg;

    return db_run_one(d, SQL_GC_CONNECTION_UPDATE,
                      DB_ARGS(db_text(c->name), db_text(c->description),
                              db_text(c->extra ? c->extra : "{}"), db_int(c->pk)));
}

sb_err store_gc_connection_update(struct store *st, const struct sb_gc_connection *c)
{
    return store_write(st, conn_update_fn, (void *)c);
}

static sb_err conn_delete_fn(struct db *d, void *arg)
{
    const int64_t *pk = arg;
    sb_err err;

    /* The FTS5 table has no foreign key: its rows go first, while the items still exist. */
    if (db_is_sqlite(d) &&
        (err = db_run(d, NULL, SQL_GC_CONNECTION_DELETE_FTS, DB_ARGS(db_int(*pk)))))
        return err;
    if ((err = db_run(d, NULL, SQL_GC_CONNECTION_DELETE_MEMBERS, DB_ARGS(db_int(*pk)))))
        return err;
    return db_run_one(d, SQL_GC_CONNECTION_DELETE, DB_ARGS(db_int(*pk)));
}

/* A batch of the connection's items, their search rows and (cascading) their ACL rows. */
static sb_err conn_items_prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;
    int64_t pk = *(const int64_t *)p->arg;
    sb_err err;

    if (db_is_sqlite(d) && (err = db_run(d, NULL, SQL_GC_CONNECTION_PRUNE_FTS,
                                         DB_ARGS(db_int(pk), db_int(STORE_PRUNE_BATCH)))))
        return err;
    return db_run(d, &p->deleted, SQL_GC_CONNECTION_PRUNE_ITEMS,
                  DB_ARGS(db_int(pk), db_int(STORE_PRUNE_BATCH)));
}

/* A batch of the connection's group memberships: of one group at a time, so that both the
 * choice and the delete walk the primary key (conn_pk, group_id, member_id). */
static sb_err conn_members_prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;
    int64_t pk = *(const int64_t *)p->arg;

    return db_run(
        d, &p->deleted, SQL_GC_CONNECTION_PRUNE_MEMBERS,
        DB_ARGS(db_int(pk), db_int(pk), db_int(pk), db_int(pk), db_int(STORE_PRUNE_BATCH)));
}

/* A batch of the connection's (by now empty) external groups. */
static sb_err conn_groups_prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;

    return db_run(d, &p->deleted, SQL_GC_CONNECTION_PRUNE_GROUPS,
                  DB_ARGS(db_int(*(const int64_t *)p->arg), db_int(STORE_PRUNE_BATCH)));
}

sb_err store_gc_connection_delete(struct store *st, int64_t pk)
{
    struct store_prune p = {&pk, 0};
    sb_err err;

    /* Items and groups go in batches first, each batch a write of its own, so that a large
     * connection does not hold the writer for one long transaction; the connection row and
     * whatever was added meanwhile go last, together. Until then the connection is still there
     * (a crash part-way leaves it with fewer items; deleting it again finishes the job). */
    if ((err = store_prune_batches(st, conn_items_prune_fn, &p)) ||
        (err = store_prune_batches(st, conn_members_prune_fn, &p)) ||
        (err = store_prune_batches(st, conn_groups_prune_fn, &p)))
        return err;
    return store_write(st, conn_delete_fn, &pk);
}

/* ---- operations ---- */

static void read_op(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_gc_operation *op = elem;

    db_col_copy(d, s, 0, op->id, sizeof(op->id));
    op->conn_pk = db_col_int(d, s, 1);
    db_col_copy(d, s, 2, op->status, sizeof(op->status));
    (void)db_col_dup(d, s, 3, &op->schema);
    (void)db_col_dup(d, s, 4, &op->error);
    db_col_copy(d, s, 5, op->created, sizeof(op->created));
}

void store_gc_operation_free(struct sb_gc_operation *op)
{
    if (!op)
        return;
    free(op->schema);
    free(op->error);
    op->schema = op->error = NULL;
}

struct op_insert {
    const struct sb_gc_operation *op;
    const struct sb_outbox_job *job;
    const char *payload;
};

static sb_err op_insert_fn(struct db *d, void *arg)
{
    const struct op_insert *oi = arg;
    const struct sb_gc_operation *op = oi->op;
    sb_err err;

    err = db_run(d, NULL, SQL_GC_OPERATION_INSERT,
                 DB_ARGS(db_text(op->id), db_int(op->conn_pk), db_text(op->status),
                         db_text(op->schema), db_text(op->error), db_text(op->created)));
    return err ? err : store_outbox_insert_tx(d, oi->job, oi->payload);
}

sb_err store_gc_operation_insert(struct store *st, const struct sb_gc_operation *op,
                                 const struct sb_outbox_job *job, const char *payload)
{
    struct op_insert oi = {op, job, payload};

    return store_write(st, op_insert_fn, &oi);
}

sb_err store_gc_operation_get(struct store *st, const char *id, struct sb_gc_operation *out)
{
    memset(out, 0, sizeof(*out));
    return store_select_one(st, SQL_GC_OPERATION_GET, read_op, out, DB_ARGS(db_text(id)));
}

struct op_finish {
    const char *id;
    bool ok;
    const char *error;
};

static sb_err op_finish_fn(struct db *d, void *arg)
{
    const struct op_finish *f = arg;
    sb_err err;

    err = db_run_one(d, SQL_GC_OPERATION_FINISH,
                     DB_ARGS(db_text(f->ok ? "completed" : "failed"),
                             db_text(f->ok ? NULL : f->error), db_text(f->id)));
    if (err || !f->ok)
        return err;
    return db_run_one(d, SQL_GC_OPERATION_APPLY_SCHEMA, DB_ARGS(db_text(f->id), db_text(f->id)));
}

sb_err store_gc_operation_finish(struct store *st, const char *id, bool ok, const char *error)
{
    struct op_finish f = {id, ok, error};
    return store_write(st, op_finish_fn, &f);
}
