/*
 * registrations.c: connectors registered in the Connector Developer Dashboard, with their
 * logo, outline icon and generated app package. Each change publishes to (or removes from)
 * the organisation catalog in the same transaction.
 */
#include "store/registrations.h"

#include "store/internal.h"
#include "store/apps.h"

#include <stdlib.h>
#include <string.h>

/* Duplicates column idx; NULL becomes "". A failed allocation leaves NULL, which complete()
 * turns into SB_ERR_NOMEM (a row reader cannot return an error). */
static void col_str(struct db *d, struct db_stmt *s, int idx, char **out)
{
    if (db_col_dup(d, s, idx, out) == SB_OK && !*out)
        *out = strdup("");
}

static void read_reg(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_registration *r = elem;

    db_col_copy(d, s, 0, r->id, sizeof(r->id));
    db_col_copy(d, s, 1, r->app_id, sizeof(r->app_id));
    db_col_copy(d, s, 2, r->catalog_id, sizeof(r->catalog_id));
    db_col_copy(d, s, 3, r->name, sizeof(r->name));
    db_col_copy(d, s, 4, r->short_description, sizeof(r->short_description));
    col_str(d, s, 5, &r->long_description);
    col_str(d, s, 6, &r->website_url);
    col_str(d, s, 7, &r->configuration_url);
    col_str(d, s, 8, &r->valid_domains);
    r->actions_enabled = db_col_int(d, s, 9) != 0;
    col_str(d, s, 10, &r->actions_url);
    db_col_copy(d, s, 11, r->version, sizeof(r->version));
    db_col_copy(d, s, 12, r->created_by, sizeof(r->created_by));
    db_col_copy(d, s, 13, r->created, sizeof(r->created));
    db_col_copy(d, s, 14, r->updated, sizeof(r->updated));
}

/* Whether read_reg got every heap field (each is "" at least). */
static bool complete(const struct sb_registration *r)
{
    return r->long_description && r->website_url && r->configuration_url && r->valid_domains &&
           r->actions_url;
}

static void release_reg(void *elem)
{
    store_registration_free(elem);
}

void store_registration_free(struct sb_registration *r)
{
    if (!r)
        return;
    free(r->long_description);
    free(r->website_url);
    free(r->configuration_url);
    free(r->valid_domains);
    free(r->actions_url);
    r->long_description = r->website_url = r->configuration_url = NULL;
    r->valid_domains = r->actions_url = NULL;
}

void store_registration_free_array(struct sb_registration *rs, size_t n)
{
    for (size_t i = 0; rs && i < n; i++)
        store_registration_free(&rs[i]);
    free(rs);
}

struct reg_write {
    struct sb_registration *r;
    const char *old_version;
    const struct store_registration_blobs *b;
    const struct store_app_write *app;
    const struct sb_audit *audit;
};

static sb_err insert_fn(struct db *d, void *arg)
{
    const struct reg_write *w = arg;
    struct sb_registration *r = w->r;
    const struct store_registration_blobs *b = w->b;
    sb_err err;

    /* The catalog entry first: the registration names it. */
    if ((err = store_app_put_tx(d, w->app)))
        return err;
    memcpy(r->catalog_id, w->app->app->id, sizeof(r->catalog_id));
    err =
        db_run(d, NULL, SQL_REGISTRATION_INSERT,
               DB_ARGS(db_text(r->id), db_text(r->app_id), db_text(r->catalog_id), db_text(r->name),
                       db_text(r->short_description), db_text(r->long_description),
                       db_text(r->website_url), db_text(r->configuration_url),
                       db_text(r->valid_domains), db_bool(r->actions_enabled),
                       db_text(r->actions_url), db_text(r->version), db_text(r->created_by),
                       db_text(r->created), db_text(r->updated), db_blob(b->logo, b->logo_len),
                       db_blob(b->outline, b->outline_len), db_blob(b->package, b->package_len)));
    return err ? err : store_audit_insert_tx(d, w->audit);
}

sb_err store_registration_insert(struct store *st, struct sb_registration *r,
                                 const struct store_registration_blobs *b,
                                 const struct store_app_write *app, const struct sb_audit *audit)
{
    struct reg_write w = {r, NULL, b, app, audit};

    return store_write(st, insert_fn, &w);
}

static sb_err update_fn(struct db *d, void *arg)
{
    const struct reg_write *w = arg;
    struct sb_registration *r = w->r;
    const struct store_registration_blobs *b = w->b;
    struct db_stmt *s = NULL;
    sb_err err;
    bool row = false;

    /* The conditional update decides between concurrent changes (on PostgreSQL it also locks
     * the row until commit); only the winner goes on to publish. */
    err = db_run_one(
        d, SQL_REGISTRATION_UPDATE,
        DB_ARGS(db_text(r->name), db_text(r->short_description), db_text(r->long_description),
                db_text(r->website_url), db_text(r->configuration_url), db_text(r->valid_domains),
                db_bool(r->actions_enabled), db_text(r->actions_url), db_text(r->version),
                db_text(r->updated), db_blob(b->logo, b->logo_len),
                db_blob(b->outline, b->outline_len), db_blob(b->package, b->package_len),
                db_text(r->id), db_text(w->old_version)));
    if (!err) {
        if ((err = store_app_put_tx(d, w->app)))
            return err;
        /* An administrator may have removed the entry: publishing made a new one. */
        memcpy(r->catalog_id, w->app->app->id, sizeof(r->catalog_id));
        err = db_run_one(d, SQL_REGISTRATION_SET_CATALOG,
                         DB_ARGS(db_text(r->catalog_id), db_text(r->id)));
        return err ? err : store_audit_insert_tx(d, w->audit);
    }
    if (err != SB_ERR_NOT_FOUND)
        return err;
    /* Nothing matched: gone, or changed by someone else since the caller read it. */
    err = db_query(d, SQL_REGISTRATION_EXISTS, &s, DB_ARGS(db_text(r->id)));
    if (err)
        return err;
    err = db_step(d, s, &row);
    db_done(d, s);
    if (err)
        return err;
    return row ? SB_ERR_CONFLICT : SB_ERR_NOT_FOUND;
}

sb_err store_registration_update(struct store *st, struct sb_registration *r,
                                 const char *old_version, const struct store_registration_blobs *b,
                                 const struct store_app_write *app, const struct sb_audit *audit)
{
    struct reg_write w = {r, old_version, b, app, audit};

    return store_write(st, update_fn, &w);
}

sb_err store_registration_get(struct store *st, const char *id, struct sb_registration *out)
{
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = store_select_one(st, SQL_REGISTRATION_GET, read_reg, out, DB_ARGS(db_text(id)));
    if (!err && !complete(out))
        err = SB_ERR_NOMEM;
    if (err)
        store_registration_free(out);
    return err;
}

sb_err store_registration_list(struct store *st, const char *created_by,
                               struct sb_registration **out, size_t *n)
{
    sb_err err;

    if (created_by)
        err = store_select_all(st, SQL_REGISTRATION_LIST_BY_CREATOR, read_reg, release_reg,
                               sizeof(**out), (void **)out, n, DB_ARGS(db_text(created_by)));
    else
        err = store_select_all(st, SQL_REGISTRATION_LIST_ALL, read_reg, release_reg, sizeof(**out),
                               (void **)out, n, DB_NO_ARGS);
    for (size_t i = 0; !err && i < *n; i++)
        if (!complete(&(*out)[i]))
            err = SB_ERR_NOMEM;
    if (err) {
        store_registration_free_array(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return err;
}

struct reg_delete {
    const char *id, *catalog_id;
    const struct sb_audit *app_audit, *audit;
};

static sb_err delete_fn(struct db *d, void *arg)
{
    const struct reg_delete *rd = arg;
    sb_err err;

    err = db_run_one(d, SQL_REGISTRATION_DELETE, DB_ARGS(db_text(rd->id)));
    /* The entry may have been removed by an administrator already: not an error. */
    if (!err)
        err = store_app_delete_tx(d, rd->catalog_id, rd->app_audit, NULL);
    return err ? err : store_audit_insert_tx(d, rd->audit);
}

sb_err store_registration_delete(struct store *st, const char *id, const char *catalog_id,
                                 const struct sb_audit *app_audit, const struct sb_audit *audit)
{
    struct reg_delete rd = {id, catalog_id, app_audit, audit};

    return store_write(st, delete_fn, &rd);
}

struct blob_row {
    void **data;
    size_t *len;
    sb_err err;
};

static void read_blob(struct db *d, struct db_stmt *s, void *elem)
{
    struct blob_row *r = elem;
    size_t n = 0;
    const void *p = d->drv->col_blob(s, 0, &n);

    if (!p || !n) {
        r->err = SB_ERR_NOT_FOUND;
        return;
    }
    if (!(*r->data = malloc(n))) {
        r->err = SB_ERR_NOMEM;
        return;
    }
    memcpy(*r->data, p, n);
    *r->len = n;
}

sb_err store_registration_blob(struct store *st, const char *id, enum store_registration_blob which,
                               void **data, size_t *len)
{
    struct blob_row r = {data, len, SB_OK};
    enum db_sql id_sql;
    sb_err err;

    *data = NULL;
    *len = 0;
    switch (which) {
    case STORE_REG_LOGO:
        id_sql = SQL_REGISTRATION_LOGO;
        break;
    case STORE_REG_OUTLINE:
        id_sql = SQL_REGISTRATION_OUTLINE;
        break;
    case STORE_REG_PACKAGE:
        id_sql = SQL_REGISTRATION_PACKAGE;
        break;
    default:
        return SB_ERR_INVALID;
    }
    err = store_select_one(st, id_sql, read_blob, &r, DB_ARGS(db_text(id)));
    return err ? err : r.err;
}
