/*
 * graphconn_items.c: Graph connectors in the store, the content of a connection: items with
 * their ACL entries and index entries, external groups and their members, and the ACL-trimmed
 * full-text search.
 *
 * The full-text index differs by driver (an FTS5 table on SQLite, a tsvector column on
 * PostgreSQL), so the few statements that touch it come in two dialects; everything else is
 * written once.
 */
#include "store/internal.h"
#include "store/graphconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- items ---- */

void store_gc_item_free(struct sb_gc_item *it)
{
    if (!it)
        return;
    free(it->properties);
    free(it->content);
    free(it->acl);
    it->properties = it->content = it->acl = NULL;
}

struct item_put {
    const struct sb_gc_item *it;
    const struct store_gc_ace *acl;
    size_t nacl;
    const char *title, *body;
    bool created;
};

static sb_err item_index(struct db *d, int64_t pk, const char *title, const char *body)
{
    sb_err err;

    if (!db_is_sqlite(d))
        return db_run_one(
            d, SQL_GC_ITEM_INDEX_POSTGRES,
            DB_ARGS(db_text(title), db_text(body), db_text(title), db_text(body), db_int(pk)));
    if ((err = db_run(d, NULL, SQL_GC_ITEM_UNINDEX_SQLITE, DB_ARGS(db_int(pk)))))
        return err;
    return db_run(d, NULL, SQL_GC_ITEM_INDEX_SQLITE,
                  DB_ARGS(db_int(pk), db_text(title), db_text(body)));
}

static sb_err item_put_fn(struct db *d, void *arg)
{
    struct item_put *p = arg;
    const struct sb_gc_item *it = p->it;
    struct db_stmt *s = NULL;
    int64_t pk = 0;
    sb_err err;
    bool row = false;

    err = db_query(d, SQL_GC_ITEM_FIND, &s, DB_ARGS(db_int(it->conn_pk), db_text(it->id)));
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
        err = db_run_one(d, SQL_GC_ITEM_UPDATE,
                         DB_ARGS(db_text(it->properties), db_text(it->content ? it->content : ""),
                                 db_text(it->content_type), db_text(it->acl), db_text(it->updated),
                                 db_int(pk)));
        if (!err)
            err = db_run(d, NULL, SQL_GC_ITEM_ACL_CLEAR, DB_ARGS(db_int(pk)));
    } else {
        err = db_query(d, SQL_GC_ITEM_INSERT, &s,
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
        err = db_run(d, NULL, SQL_GC_ITEM_ACL_INSERT,
                     DB_ARGS(db_int(pk), db_int(it->conn_pk), db_text(p->acl[i].key),
                             db_bool((int)p->acl[i].deny)));
    return err ? err : item_index(d, pk, p->title, p->body);
}

sb_err store_gc_item_put(struct store *st, const struct sb_gc_item *it,
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
    struct sb_gc_item *it = elem;

    it->pk = db_col_int(d, s, 0);
    it->conn_pk = db_col_int(d, s, 1);
    db_col_copy(d, s, 2, it->id, sizeof(it->id));
    (void)db_col_dup(d, s, 3, &it->properties);
    (void)db_col_dup(d, s, 4, &it->content);
    db_col_copy(d, s, 5, it->content_type, sizeof(it->content_type));
    (void)db_col_dup(d, s, 6, &it->acl);
    db_col_copy(d, s, 7, it->updated, sizeof(it->updated));
}

sb_err store_gc_item_get(struct store *st, int64_t conn_pk, const char *id, struct sb_gc_item *out)
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

    if (db_is_sqlite(d) && (err = db_run(d, NULL, SQL_GC_ITEM_DELETE_FTS,
                                         DB_ARGS(db_int(k->conn_pk), db_text(k->id)))))
        return err;
    return db_run_one(d, SQL_GC_ITEM_DELETE, DB_ARGS(db_int(k->conn_pk), db_text(k->id)));
}

sb_err store_gc_item_delete(struct store *st, int64_t conn_pk, const char *id)
{
    struct item_key k = {conn_pk, id};
    return store_write(st, item_delete_fn, &k);
}

/* ---- external groups ---- */

static sb_err group_insert_fn(struct db *d, void *arg)
{
    const struct sb_gc_group *g = arg;

    return db_run(d, NULL, SQL_GC_GROUP_INSERT,
                  DB_ARGS(db_int(g->conn_pk), db_text(g->id), db_text(g->display_name),
                          db_text(g->description)));
}

sb_err store_gc_group_insert(struct store *st, const struct sb_gc_group *g)
{
    return store_write(st, group_insert_fn, (void *)g);
}

static void read_group(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_gc_group *g = elem;

    g->conn_pk = db_col_int(d, s, 0);
    db_col_copy(d, s, 1, g->id, sizeof(g->id));
    db_col_copy(d, s, 2, g->display_name, sizeof(g->display_name));
    db_col_copy(d, s, 3, g->description, sizeof(g->description));
}

sb_err store_gc_group_get(struct store *st, int64_t conn_pk, const char *id,
                          struct sb_gc_group *out)
{
    return store_select_one(st, SQL_GC_GROUP_GET, read_group, out,
                            DB_ARGS(db_int(conn_pk), db_text(id)));
}

static sb_err group_update_fn(struct db *d, void *arg)
{
    const struct sb_gc_group *g = arg;

    return db_run_one(d, SQL_GC_GROUP_UPDATE,
                      DB_ARGS(db_text(g->display_name), db_text(g->description), db_int(g->conn_pk),
                              db_text(g->id)));
}

sb_err store_gc_group_update(struct store *st, const struct sb_gc_group *g)
{
    return store_write(st, group_update_fn, (void *)g);
}

static sb_err group_delete_fn(struct db *d, void *arg)
{
    const struct item_key *k = arg;
    sb_err err;

    /* Memberships of this group in other groups go too: the key would dangle. */
    err = db_run(d, NULL, SQL_GC_GROUP_DELETE_MEMBERSHIPS,
                 DB_ARGS(db_text(k->id + strlen(k->id) + 1)));
    if (err)
        return err;
    return db_run_one(d, SQL_GC_GROUP_DELETE, DB_ARGS(db_int(k->conn_pk), db_text(k->id)));
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
    char buf[SB_GC_ITEM_MAX * 2 + 64];
    size_t len = strlen(id);
    struct item_key k = {conn_pk, buf};
    struct store_prune p = {&k, 0};
    sb_err err;

    if (len > SB_GC_ITEM_MAX)
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
    const struct sb_gc_member *m;
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
                           const struct sb_gc_member *m, const char *key)
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
    struct sb_gc_member *m = elem;

    db_col_copy(d, s, 0, m->id, sizeof(m->id));
    db_col_copy(d, s, 1, m->type, sizeof(m->type));
}

sb_err store_gc_member_list(struct store *st, int64_t conn_pk, const char *group_id,
                            struct sb_gc_member **out, size_t *n)
{
    return store_select_all(st, SQL_GC_MEMBER_LIST, read_member, NULL, sizeof(**out), (void **)out,
                            n, DB_ARGS(db_int(conn_pk), db_text(group_id)));
}

/* ---- search ---- */

static void release_hit(void *elem)
{
    struct sb_gc_hit *h = elem;

    free(h->properties);
    free(h->schema);
    free(h->title);
    free(h->body);
}

void store_gc_hit_free_array(struct sb_gc_hit *h, size_t n)
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

#define SEARCH_SOURCES(q, src)                                                                     \
    db_text((q)->user_id), db_text((q)->user_id), db_int((int64_t)(q)->nsources),                  \
        db_text((src)[0]), db_text((src)[1]), db_text((src)[2]), db_text((src)[3]),                \
        db_text((src)[4]), db_text((src)[5]), db_text((src)[6]), db_text((src)[7])

/* The permitted ones of the k best matches, in order: *pks gets the first `need` of them,
 * *nperm counts them all, *ncand counts the candidates (fewer than k: every match); *total
 * counts the permitted matches up to max. */
static sb_err candidates(struct db *d, const struct store_gc_query *q, const char *const *src,
                         const char *text, int64_t k, int64_t max, int64_t *pks, int64_t need,
                         int64_t *nperm, int64_t *ncand, int64_t *total)
{
    struct db_stmt *s = NULL;
    bool row = false;
    sb_err err;

    *nperm = *ncand = *total = 0;
    if (db_is_sqlite(d))
        err = db_query(d, SQL_GC_SEARCH_SQLITE, &s,
                       DB_ARGS(SEARCH_SOURCES(q, src), db_int(k), db_text(text), db_int(k),
                               db_text(text), db_int(max)));
    else
        err = db_query(
            d, SQL_GC_SEARCH_POSTGRES, &s,
            DB_ARGS(SEARCH_SOURCES(q, src), db_text(text), db_int(k), db_text(text), db_int(max)));
    while (!err && !(err = db_step(d, s, &row)) && row) {
        ++*ncand;
        *total = db_col_int(d, s, 2);
        if (!db_col_int(d, s, 1))
            continue;
        if (*nperm < need)
            pks[*nperm] = db_col_int(d, s, 0);
        ++*nperm;
    }
    db_done(d, s);
    return err;
}

static sb_err read_hit(struct db *d, int64_t pk, struct sb_gc_hit *h)
{
    struct db_stmt *s = NULL;
    bool row = false;
    sb_err err;

    memset(h, 0, sizeof(*h));
    err = db_query(d, db_is_sqlite(d) ? SQL_GC_SEARCH_HIT_SQLITE : SQL_GC_SEARCH_HIT_POSTGRES, &s,
                   DB_ARGS(db_int(pk)));
    if (!err && !(err = db_step(d, s, &row)) && !row)
        err = SB_ERR_NOT_FOUND;
    if (!err) {
        db_col_copy(d, s, 0, h->connection_id, sizeof(h->connection_id));
        db_col_copy(d, s, 1, h->item_id, sizeof(h->item_id));
        if (!(err = db_col_dup(d, s, 2, &h->properties)) &&
            !(err = db_col_dup(d, s, 3, &h->schema)) && !(err = db_col_dup(d, s, 4, &h->title)))
            err = db_col_dup(d, s, 5, &h->body);
    }
    db_done(d, s);
    if (err)
        release_hit(h);
    return err;
}

sb_err store_gc_search(struct store *st, const struct store_gc_query *q, struct sb_gc_hit **out,
                       size_t *n, int64_t *total)
{
    const char *src[STORE_GC_SOURCES_MAX] = {0};
    int64_t need = q->from + q->size, k = need * 2 > 64 ? need * 2 : 64, nperm = 0, ncand = 0;
    int64_t max = q->count_max > need ? q->count_max : need + 1;
    int64_t *pks = NULL;
    struct sb_gc_hit *v = NULL;
    size_t len = 0;
    char *text = NULL;
    struct db d;
    sb_err err;

    *out = NULL;
    *n = 0;
    *total = 0;
    for (size_t i = 0; i < q->nsources && i < STORE_GC_SOURCES_MAX; i++)
        src[i] = q->sources[i];
    if (!(pks = calloc((size_t)need + 1, sizeof(*pks))))
        return SB_ERR_NOMEM;
    if ((err = store_read_begin(st, &d))) {
        free(pks);
        return err;
    }
    if ((err = query_text(db_is_sqlite(&d), q, &text)))
        goto out;
    /* Rank and trim the k best matches; when fewer than from + size of them may be seen and
     * there are more, twice as many. */
    while (!(err = candidates(&d, q, src, text, k, max, pks, need, &nperm, &ncand, total)) &&
           ncand == k && nperm < need)
        k *= 2;
    if (!err && nperm > q->from &&
        !(v = calloc((size_t)((nperm < need ? nperm : need) - q->from), sizeof(*v))))
        err = SB_ERR_NOMEM;
    for (int64_t i = q->from; !err && i < need && i < nperm; i++)
        if (!(err = read_hit(&d, pks[i], &v[len])))
            len++;
out:
    store_read_end(st, &d);
    free(text);
    free(pks);
    if (err) {
        store_gc_hit_free_array(v, len);
        return err;
    }
    *out = v;
    *n = len;
    return SB_OK;
}
