/*
 * graphconn.c: Graph connectors in the store: app registrations, the admin switch, external
 * connections, schema operations, items with their ACL entries and index entries, external
 * groups, and the ACL-trimmed full-text search.
 *
 * The full-text index differs by driver (an FTS5 table on SQLite, a tsvector column on
 * PostgreSQL), so the few statements that touch it come in two dialects; everything else is
 * written once.
 */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_sqlite(const struct db *d)
{
    return strcmp(d->drv->name, "sqlite") == 0;
}

/* ---- registrations ---- */

static void read_reg(struct db *d, struct db_stmt *s, void *elem)
{
    struct store_gc_registration *r = elem;
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
    const struct store_gc_registration *r;
    const char *id;
    const struct store_audit *audit;
};

static sb_err reg_insert_fn(struct db *d, void *arg)
{
    const struct reg_write *w = arg;
    const struct store_gc_registration *r = w->r;
    sb_err err;

    err = db_run(d, NULL, SQL_GC_REGISTRATION_INSERT,
                 DB_ARGS(db_text(r->id), db_text(r->app_id[0] ? r->app_id : NULL),
                         db_text(r->display_name), db_blob(r->secret_hash, sizeof(r->secret_hash)),
                         db_text(r->public_key), db_text(r->created_by), db_text(r->created)));
    return err ? err : store_audit_insert_tx(d, w->audit);
}

sb_err store_gc_registration_insert(struct store *st, const struct store_gc_registration *r,
                                    const struct store_audit *audit)
{
    struct reg_write w = {r, NULL, audit};

    return store_write(st, reg_insert_fn, &w);
}

sb_err store_gc_registration_get(struct store *st, const char *id,
                                 struct store_gc_registration *out)
{
    return store_select_one(st, SQL_GC_REGISTRATION_GET, read_reg, out, DB_ARGS(db_text(id)));
}

sb_err store_gc_registration_list(struct store *st, struct store_gc_registration **out, size_t *n)
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

sb_err store_gc_registration_delete(struct store *st, const char *id,
                                    const struct store_audit *audit)
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
    struct store_gc_switch *w = elem;

    db_col_copy(d, s, 0, w->app_id, sizeof(w->app_id));
    w->enabled = db_col_int(d, s, 1) != 0;
    db_col_copy(d, s, 2, w->ticket, sizeof(w->ticket));
    db_col_copy(d, s, 3, w->job_id, sizeof(w->job_id));
    db_col_copy(d, s, 4, w->updated_by, sizeof(w->updated_by));
    db_col_copy(d, s, 5, w->updated, sizeof(w->updated));
}

struct switch_set {
    const struct store_gc_switch *sw;
    const struct store_outbox_job *job;
    const char *payload;
    const struct store_audit *audit;
};

static sb_err switch_set_fn(struct db *d, void *arg)
{
    const struct switch_set *ss = arg;
    const struct store_gc_switch *w = ss->sw;
    sb_err err;

    err = db_run(d, NULL, SQL_GC_SWITCH_SET,
                 DB_ARGS(db_text(w->app_id), db_bool(w->enabled), db_text(w->ticket),
                         db_text(w->job_id), db_text(w->updated_by), db_text(w->updated)));
    if (!err)
        err = store_outbox_insert_tx(d, ss->job, ss->payload);
    return err ? err : store_audit_insert_tx(d, ss->audit);
}

sb_err store_gc_switch_set(struct store *st, const struct store_gc_switch *sw,
                           const struct store_outbox_job *job, const char *payload,
                           const struct store_audit *audit)
{
    struct switch_set ss = {sw, job, payload, audit};

    return store_write(st, switch_set_fn, &ss);
}

sb_err store_gc_switch_get(struct store *st, const char *app_id, struct store_gc_switch *out)
{
    return store_select_one(st, SQL_GC_SWITCH_GET, read_switch, out, DB_ARGS(db_text(app_id)));
}

/* ---- connections ---- */

static void read_conn(struct db *d, struct db_stmt *s, void *elem)
{
    struct store_gc_connection *c = elem;

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

void store_gc_connection_free(struct store_gc_connection *c)
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

void store_gc_connection_free_array(struct store_gc_connection *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++)
        store_gc_connection_free(&c[i]);
    free(c);
}

static sb_err conn_insert_fn(struct db *d, void *arg)
{
    struct store_gc_connection *c = arg;
    struct db_stmt *s = NULL;
    sb_err err;
    bool row = false;

    err = db_query(d, SQL_GC_CONN_INSERT, &s,
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

sb_err store_gc_connection_insert(struct store *st, struct store_gc_connection *c)
{
    return store_write(st, conn_insert_fn, c);
}

sb_err store_gc_connection_get(struct store *st, const char *id, struct store_gc_connection *out)
{
    memset(out, 0, sizeof(*out));
    return store_select_one(st, SQL_GC_CONNECTION_GET, read_conn, out, DB_ARGS(db_text(id)));
}

sb_err store_gc_connection_list(struct store *st, const char *owner,
                                struct store_gc_connection **out, size_t *n)
{
    if (owner)
        return store_select_all(st, SQL_GC_CONNECTION_LIST_SELECT_GC_CONNECTIONS, read_conn,
                                release_conn, sizeof(**out), (void **)out, n,
                                DB_ARGS(db_text(owner)));
    return store_select_all(st, SQL_GC_CONNECTION_LIST_SELECT_GC_CONNECTIONS_2, read_conn,
                            release_conn, sizeof(**out), (void **)out, n, DB_NO_ARGS);
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
    const struct store_gc_connection *c = arg;

    return db_run_one(d, SQL_GC_CONN_UPDATE,
                      DB_ARGS(db_text(c->name), db_text(c->description),
                              db_text(c->extra ? c->extra : "{}"), db_int(c->pk)));
}

sb_err store_gc_connection_update(struct store *st, const struct store_gc_connection *c)
{
    return store_write(st, conn_update_fn, (void *)c);
}

static sb_err conn_delete_fn(struct db *d, void *arg)
{
    const int64_t *pk = arg;
    sb_err err;

    /* The FTS5 table has no foreign key: its rows go first, while the items still exist. */
    if (is_sqlite(d) &&
        (err = db_run(d, NULL, SQL_GC_CONN_DELETE_DELETE_GC_FTS, DB_ARGS(db_int(*pk)))))
        return err;
    if ((err = db_run(d, NULL, SQL_GC_CONN_DELETE_DELETE_GC_GROUP_MEMBERS, DB_ARGS(db_int(*pk)))))
        return err;
    return db_run_one(d, SQL_GC_CONN_DELETE_DELETE_GC_CONNECTIONS, DB_ARGS(db_int(*pk)));
}

/* A batch of the connection's items, their search rows and (cascading) their ACL rows. */
static sb_err conn_items_prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;
    int64_t pk = *(const int64_t *)p->arg;
    sb_err err;

    if (is_sqlite(d) && (err = db_run(d, NULL, SQL_GC_CONN_ITEMS_PRUNE_DELETE_GC_FTS,
                                      DB_ARGS(db_int(pk), db_int(STORE_PRUNE_BATCH)))))
        return err;
    return db_run(d, &p->deleted, SQL_GC_CONN_ITEMS_PRUNE_DELETE_GC_ITEMS,
                  DB_ARGS(db_int(pk), db_int(STORE_PRUNE_BATCH)));
}

/* A batch of the connection's group memberships: of one group at a time, so that both the
 * choice and the delete walk the primary key (conn_pk, group_id, member_id). */
static sb_err conn_members_prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;
    int64_t pk = *(const int64_t *)p->arg;

    return db_run(
        d, &p->deleted, SQL_GC_CONN_MEMBERS_PRUNE,
        DB_ARGS(db_int(pk), db_int(pk), db_int(pk), db_int(pk), db_int(STORE_PRUNE_BATCH)));
}

/* A batch of the connection's (by now empty) external groups. */
static sb_err conn_groups_prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;

    return db_run(d, &p->deleted, SQL_GC_CONN_GROUPS_PRUNE,
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
    struct store_gc_operation *op = elem;

    db_col_copy(d, s, 0, op->id, sizeof(op->id));
    op->conn_pk = db_col_int(d, s, 1);
    db_col_copy(d, s, 2, op->status, sizeof(op->status));
    (void)db_col_dup(d, s, 3, &op->schema);
    (void)db_col_dup(d, s, 4, &op->error);
    db_col_copy(d, s, 5, op->created, sizeof(op->created));
}

void store_gc_operation_free(struct store_gc_operation *op)
{
    if (!op)
        return;
    free(op->schema);
    free(op->error);
    op->schema = op->error = NULL;
}

struct op_insert {
    const struct store_gc_operation *op;
    const struct store_outbox_job *job;
    const char *payload;
};

static sb_err op_insert_fn(struct db *d, void *arg)
{
    const struct op_insert *oi = arg;
    const struct store_gc_operation *op = oi->op;
    sb_err err;

    err = db_run(d, NULL, SQL_GC_OP_INSERT,
                 DB_ARGS(db_text(op->id), db_int(op->conn_pk), db_text(op->status),
                         db_text(op->schema), db_text(op->error), db_text(op->created)));
    return err ? err : store_outbox_insert_tx(d, oi->job, oi->payload);
}

sb_err store_gc_operation_insert(struct store *st, const struct store_gc_operation *op,
                                 const struct store_outbox_job *job, const char *payload)
{
    struct op_insert oi = {op, job, payload};

    return store_write(st, op_insert_fn, &oi);
}

sb_err store_gc_operation_get(struct store *st, const char *id, struct store_gc_operation *out)
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

    err = db_run_one(d, SQL_GC_OP_FINISH_UPDATE_GC_OPERATIONS,
                     DB_ARGS(db_text(f->ok ? "completed" : "failed"),
                             db_text(f->ok ? NULL : f->error), db_text(f->id)));
    if (err || !f->ok)
        return err;
    return db_run_one(d, SQL_GC_OP_FINISH_UPDATE_GC_CONNECTIONS,
                      DB_ARGS(db_text(f->id), db_text(f->id)));
}

sb_err store_gc_operation_finish(struct store *st, const char *id, bool ok, const char *error)
{
    struct op_finish f = {id, ok, error};
    return store_write(st, op_finish_fn, &f);
}

/* ---- items ---- */

void store_gc_item_free(struct store_gc_item *it)
{
    if (!it)
        return;
    free(it->properties);
    free(it->content);
    free(it->acl);
    it->properties = it->content = it->acl = NULL;
}

struct item_put {
    const struct store_gc_item *it;
    const struct store_gc_ace *acl;
    size_t nacl;
    const char *title, *body;
    bool created;
};

static sb_err item_index(struct db *d, int64_t pk, const char *title, const char *body)
{
    sb_err err;

    if (!is_sqlite(d))
        return db_run_one(
            d, SQL_GC_ITEM_INDEX_UPDATE_GC_ITEMS,
            DB_ARGS(db_text(title), db_text(body), db_text(title), db_text(body), db_int(pk)));
    if ((err = db_run(d, NULL, SQL_GC_ITEM_INDEX_DELETE_GC_FTS, DB_ARGS(db_int(pk)))))
        return err;
    return db_run(d, NULL, SQL_GC_ITEM_INDEX_INSERT_GC_FTS,
                  DB_ARGS(db_int(pk), db_text(title), db_text(body)));
}

static sb_err item_put_fn(struct db *d, void *arg)
{
    struct item_put *p = arg;
    const struct store_gc_item *it = p->it;
    struct db_stmt *s = NULL;
    int64_t pk = 0;
    sb_err err;
    bool row = false;

    err = db_query(d, SQL_GC_ITEM_PUT_SELECT_GC_ITEMS, &s,
                   DB_ARGS(db_int(it->conn_pk), db_text(it->id)));
    if (err)
        return err;
    err = db_step(d, s, &row);
    if (!err && row)
        pk = db_col_int(d, s, 0);
    db_done(d, s);
    if (err)
        return err;
    p->created = pk == 0;
    if (pk) {
        err = db_run_one(d, SQL_GC_ITEM_PUT_UPDATE_GC_ITEMS,
                         DB_ARGS(db_text(it->properties), db_text(it->content ? it->content : ""),
                                 db_text(it->content_type), db_text(it->acl), db_text(it->updated),
                                 db_int(pk)));
        if (!err)
            err = db_run(d, NULL, SQL_GC_ITEM_PUT_DELETE_GC_ACL, DB_ARGS(db_int(pk)));
    } else {
        err = db_query(d, SQL_GC_ITEM_PUT_INSERT_GC_ITEMS, &s,
                       DB_ARGS(db_int(it->conn_pk), db_text(it->id), db_text(it->properties),
                               db_text(it->content ? it->content : ""), db_text(it->content_type),
                               db_text(it->acl), db_text(it->updated)));
        if (err)
            return err;
        err = db_step(d, s, &row);
        if (!err && row) {
            pk = db_col_int(d, s, 0);
            err = db_step(d, s, &row);
        }
        db_done(d, s);
    }
    for (size_t i = 0; !err && i < p->nacl; i++)
        err = db_run(d, NULL, SQL_GC_ITEM_PUT_INSERT_GC_ACL,
                     DB_ARGS(db_int(pk), db_int(it->conn_pk), db_text(p->acl[i].key),
                             db_bool((int)p->acl[i].deny)));
    return err ? err : item_index(d, pk, p->title, p->body);
}

sb_err store_gc_item_put(struct store *st, const struct store_gc_item *it,
                         const struct store_gc_ace *acl, size_t nacl, const char *title,
                         const char *body, bool *created)
{
    struct item_put p = {it, acl, nacl, title, body, false};
    sb_err err = store_write(st, item_put_fn, &p);

    if (!err && created)
        *created = p.created;
    return err;
}

static void read_item(struct db *d, struct db_stmt *s, void *elem)
{
    struct store_gc_item *it = elem;

    it->pk = db_col_int(d, s, 0);
    it->conn_pk = db_col_int(d, s, 1);
    db_col_copy(d, s, 2, it->id, sizeof(it->id));
    (void)db_col_dup(d, s, 3, &it->properties);
    (void)db_col_dup(d, s, 4, &it->content);
    db_col_copy(d, s, 5, it->content_type, sizeof(it->content_type));
    (void)db_col_dup(d, s, 6, &it->acl);
    db_col_copy(d, s, 7, it->updated, sizeof(it->updated));
}

sb_err store_gc_item_get(struct store *st, int64_t conn_pk, const char *id,
                         struct store_gc_item *out)
{
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = store_select_one(st, SQL_GC_ITEM_GET, read_item, out,
                           DB_ARGS(db_int(conn_pk), db_text(id)));
    if (!err && (!out->properties || !out->acl)) {
        store_gc_item_free(out);
        err = SB_ERR_NOMEM;
    }
    return err;
}

struct item_key {
    int64_t conn_pk;
    const char *id;
};

static sb_err item_delete_fn(struct db *d, void *arg)
{
    const struct item_key *k = arg;
    sb_err err;

    if (is_sqlite(d) && (err = db_run(d, NULL, SQL_GC_ITEM_DELETE_DELETE_GC_FTS,
                                      DB_ARGS(db_int(k->conn_pk), db_text(k->id)))))
        return err;
    return db_run_one(d, SQL_GC_ITEM_DELETE_DELETE_GC_ITEMS,
                      DB_ARGS(db_int(k->conn_pk), db_text(k->id)));
}

sb_err store_gc_item_delete(struct store *st, int64_t conn_pk, const char *id)
{
    struct item_key k = {conn_pk, id};
    return store_write(st, item_delete_fn, &k);
}

/* ---- external groups ---- */

static sb_err group_insert_fn(struct db *d, void *arg)
{
    const struct store_gc_group *g = arg;

    return db_run(d, NULL, SQL_GC_GROUP_INSERT,
                  DB_ARGS(db_int(g->conn_pk), db_text(g->id), db_text(g->display_name),
                          db_text(g->description)));
}

sb_err store_gc_group_insert(struct store *st, const struct store_gc_group *g)
{
    return store_write(st, group_insert_fn, (void *)g);
}

static void read_group(struct db *d, struct db_stmt *s, void *elem)
{
    struct store_gc_group *g = elem;

    g->conn_pk = db_col_int(d, s, 0);
    db_col_copy(d, s, 1, g->id, sizeof(g->id));
    db_col_copy(d, s, 2, g->display_name, sizeof(g->display_name));
    db_col_copy(d, s, 3, g->description, sizeof(g->description));
}

sb_err store_gc_group_get(struct store *st, int64_t conn_pk, const char *id,
                          struct store_gc_group *out)
{
    return store_select_one(st, SQL_GC_GROUP_GET, read_group, out,
                            DB_ARGS(db_int(conn_pk), db_text(id)));
}

static sb_err group_update_fn(struct db *d, void *arg)
{
    const struct store_gc_group *g = arg;

    return db_run_one(d, SQL_GC_GROUP_UPDATE,
                      DB_ARGS(db_text(g->display_name), db_text(g->description), db_int(g->conn_pk),
                              db_text(g->id)));
}

sb_err store_gc_group_update(struct store *st, const struct store_gc_group *g)
{
    return store_write(st, group_update_fn, (void *)g);
}

static sb_err group_delete_fn(struct db *d, void *arg)
{
    const struct item_key *k = arg;
    sb_err err;

    /* Memberships of this group in other groups go too: the key would dangle. */
    err = db_run(d, NULL, SQL_GC_GROUP_DELETE_DELETE_GC_GROUP_MEMBERS,
                 DB_ARGS(db_text(k->id + strlen(k->id) + 1)));
    if (err)
        return err;
    return db_run_one(d, SQL_GC_GROUP_DELETE_DELETE_GC_GROUPS,
                      DB_ARGS(db_int(k->conn_pk), db_text(k->id)));
}

/* A batch of the group's own members. */
static sb_err group_members_prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;
    const struct item_key *k = p->arg;

    return db_run(d, &p->deleted, SQL_GC_GROUP_MEMBERS_PRUNE,
                  DB_ARGS(db_int(k->conn_pk), db_text(k->id), db_int(k->conn_pk), db_text(k->id),
                          db_int(STORE_PRUNE_BATCH)));
}

sb_err store_gc_group_delete(struct store *st, int64_t conn_pk, const char *id)
{
    char buf[STORE_GC_ITEM_MAX * 2 + 64];
    size_t len = strlen(id);
    struct item_key k = {conn_pk, buf};
    struct store_prune p = {&k, 0};
    sb_err err;

    if (len > STORE_GC_ITEM_MAX)
        return SB_ERR_NOT_FOUND;
    /* id, NUL, then the group's own principal key. */
    memcpy(buf, id, len + 1);
    snprintf(buf + len + 1, sizeof(buf) - len - 1, "x:%lld:%s", (long long)conn_pk, id);
    /* A large group's members go in batches first (a crash part-way leaves the group with
     * fewer members; deleting it again finishes), the group with the rest last. */
    err = store_prune_batches(st, group_members_prune_fn, &p);
    return err ? err : store_write(st, group_delete_fn, &k);
}

struct member_add {
    int64_t conn_pk;
    const char *group_id;
    const struct store_gc_member *m;
    const char *key;
};

static sb_err member_add_fn(struct db *d, void *arg)
{
    const struct member_add *a = arg;

    return db_run(d, NULL, SQL_GC_MEMBER_ADD,
                  DB_ARGS(db_int(a->conn_pk), db_text(a->group_id), db_text(a->m->id),
                          db_text(a->m->type), db_text(a->key)));
}

sb_err store_gc_member_add(struct store *st, int64_t conn_pk, const char *group_id,
                           const struct store_gc_member *m, const char *key)
{
    struct member_add a = {conn_pk, group_id, m, key};
    return store_write(st, member_add_fn, &a);
}

struct member_remove {
    int64_t conn_pk;
    const char *group_id, *member_id;
};

static sb_err member_remove_fn(struct db *d, void *arg)
{
    const struct member_remove *r = arg;

    return db_run_one(d, SQL_GC_MEMBER_REMOVE,
                      DB_ARGS(db_int(r->conn_pk), db_text(r->group_id), db_text(r->member_id)));
}

sb_err store_gc_member_remove(struct store *st, int64_t conn_pk, const char *group_id,
                              const char *member_id)
{
    struct member_remove r = {conn_pk, group_id, member_id};
    return store_write(st, member_remove_fn, &r);
}

static void read_member(struct db *d, struct db_stmt *s, void *elem)
{
    struct store_gc_member *m = elem;

    db_col_copy(d, s, 0, m->id, sizeof(m->id));
    db_col_copy(d, s, 1, m->type, sizeof(m->type));
}

sb_err store_gc_member_list(struct store *st, int64_t conn_pk, const char *group_id,
                            struct store_gc_member **out, size_t *n)
{
    return store_select_all(st, SQL_GC_MEMBER_LIST, read_member, NULL, sizeof(**out), (void **)out,
                            n, DB_ARGS(db_int(conn_pk), db_text(group_id)));
}

/* ---- search ---- */

static void release_hit(void *elem)
{
    struct store_gc_hit *h = elem;

    free(h->properties);
    free(h->schema);
    free(h->title);
    free(h->body);
}

void store_gc_hit_free_array(struct store_gc_hit *h, size_t n)
{
    for (size_t i = 0; h && i < n; i++)
        release_hit(&h[i]);
    free(h);
}

/* The terms as the driver's query text: FTS5 phrases ("a" "b", quotes doubled), or plain words
 * for plainto_tsquery. */
static sb_err query_text(bool sqlite, const struct store_gc_query *q, char **out)
{
    size_t cap = 1;
    char *t, *p;

    for (size_t i = 0; i < q->nterms; i++)
        cap += 2 * strlen(q->terms[i]) + 3;
    if (!(t = malloc(cap)))
        return SB_ERR_NOMEM;
    p = t;
    for (size_t i = 0; i < q->nterms; i++) {
        if (i)
            *p++ = ' ';
        if (sqlite)
            *p++ = '"';
        for (const char *c = q->terms[i]; *c; c++) {
            if (sqlite && *c == '"')
                *p++ = '"';
            *p++ = *c;
        }
        if (sqlite)
            *p++ = '"';
    }
    *p = '\0';
    *out = t;
    return SB_OK;
}

sb_err store_gc_search(struct store *st, const struct store_gc_query *q, struct store_gc_hit **out,
                       size_t *n, int64_t *total)
{
    const char *src[STORE_GC_SOURCES_MAX] = {0};
    struct store_gc_hit *v = NULL;
    size_t len = 0, cap = 0;
    struct db_stmt *s = NULL;
    char *text = NULL;
    struct db d;
    sb_err err;
    bool row = false;

    *out = NULL;
    *n = 0;
    *total = 0;
    for (size_t i = 0; i < q->nsources && i < STORE_GC_SOURCES_MAX; i++)
        src[i] = q->sources[i];
    if ((err = store_read_begin(st, &d)))
        return err;
    if ((err = query_text(is_sqlite(&d), q, &text)))
        goto out;
    err = db_query(&d, is_sqlite(&d) ? SQL_GC_SEARCH_SQLITE : SQL_GC_SEARCH_POSTGRES, &s,
                   DB_ARGS(db_text(q->user_id), db_text(q->user_id), db_int(q->nsources),
                           db_text(src[0]), db_text(src[1]), db_text(src[2]), db_text(src[3]),
                           db_text(src[4]), db_text(src[5]), db_text(src[6]), db_text(src[7]),
                           db_text(text), db_int(q->size), db_int(q->from)));
    if (err)
        goto out;
    while (!(err = db_step(&d, s, &row)) && row) {
        struct store_gc_hit *h;

        if ((err = store_grow((void **)&v, &cap, len, sizeof(*v))))
            goto out;
        h = &v[len++];
        memset(h, 0, sizeof(*h));
        db_col_copy(&d, s, 0, h->connection_id, sizeof(h->connection_id));
        db_col_copy(&d, s, 1, h->item_id, sizeof(h->item_id));
        if ((err = db_col_dup(&d, s, 2, &h->properties)) ||
            (err = db_col_dup(&d, s, 3, &h->schema)) || (err = db_col_dup(&d, s, 4, &h->title)) ||
            (err = db_col_dup(&d, s, 5, &h->body)))
            goto out;
        *total = db_col_int(&d, s, 6);
    }
out:
    db_done(&d, s);
    store_read_end(st, &d);
    free(text);
    if (err) {
        store_gc_hit_free_array(v, len);
        return err;
    }
    *out = v;
    *n = len;
    return SB_OK;
}
