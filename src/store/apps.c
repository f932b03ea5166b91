/*
 * apps.c: uploaded app packages, in the organisation catalog or uploaded to one team.
 */
#include "store/apps.h"

#include "model/audit.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Duplicates column idx; NULL becomes "". A failed allocation leaves NULL, which complete()
 * turns into SB_ERR_NOMEM (a row reader cannot return an error). */
static void col_str(struct db *d, struct db_stmt *s, int idx, char **out)
{
    if (db_col_dup(d, s, idx, out) == SB_OK && !*out)
        *out = strdup("");
}

static void read_app(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_app *a = elem;

    db_col_copy(d, s, 0, a->id, sizeof(a->id));
    db_col_copy(d, s, 1, a->external_id, sizeof(a->external_id));
    db_col_copy(d, s, 2, a->team_id, sizeof(a->team_id));
    db_col_copy(d, s, 3, a->version, sizeof(a->version));
    db_col_copy(d, s, 4, a->display_name, sizeof(a->display_name));
    db_col_copy(d, s, 5, a->description, sizeof(a->description));
    db_col_copy(d, s, 6, a->developer, sizeof(a->developer));
    db_col_copy(d, s, 7, a->connector_id, sizeof(a->connector_id));
    col_str(d, s, 8, &a->configuration_url);
    col_str(d, s, 9, &a->valid_domains);
    db_col_copy(d, s, 10, a->created_by, sizeof(a->created_by));
    db_col_copy(d, s, 11, a->created, sizeof(a->created));
    db_col_copy(d, s, 12, a->updated, sizeof(a->updated));
    a->blocked = db_col_int(d, s, 13) != 0;
}

sb_err store_app_put_tx(struct db *d, const struct store_app_write *w)
{
    struct sb_app *a = w->app;
    const char *team = a->team_id[0] ? a->team_id : NULL;
    struct db_stmt *s = NULL;
    sb_err err;
    bool row = false;

    err = db_query(d, SQL_APP_FIND_EXTERNAL, &s,
                   DB_ARGS(db_text(a->external_id), db_text(a->team_id)));
    if (err)
        return err;
    err = db_step(d, s, &row);
    if (!err && row) {
        db_col_copy(d, s, 0, a->id, sizeof(a->id));
        db_col_copy(d, s, 1, a->created, sizeof(a->created));
    }
    db_done(d, s);
    if (err)
        return err;
    if (row)
        err = db_run_one(
            d, SQL_APP_UPDATE,
            DB_ARGS(db_text(a->version), db_text(a->display_name), db_text(a->description),
                    db_text(a->developer), db_text(a->connector_id), db_text(a->configuration_url),
                    db_text(a->valid_domains), db_blob(w->icon, w->icon_len),
                    db_blob(w->package, w->package_len), db_text(a->updated), db_text(a->id)));
    else
        err = db_run(d, NULL, SQL_APP_INSERT,
                     DB_ARGS(db_text(a->id), db_text(a->external_id), db_text(team),
                             db_text(a->version), db_text(a->display_name), db_text(a->description),
                             db_text(a->developer), db_text(a->connector_id),
                             db_text(a->configuration_url), db_text(a->valid_domains),
                             db_blob(w->icon, w->icon_len), db_blob(w->package, w->package_len),
                             db_text(a->created_by), db_text(a->created), db_text(a->updated)));
    if (err || !w->audit)
        return err;
    snprintf(w->audit->target, sizeof(w->audit->target), "%s", a->id);
    return store_audit_insert_tx(d, w->audit);
}

static sb_err app_put_fn(struct db *d, void *arg)
{
    return store_app_put_tx(d, arg);
}

sb_err store_app_put(struct store *st, const struct store_app_write *w)
{
    return store_write(st, app_put_fn, (void *)w);
}

/* Whether read_app got every heap field (each is "" at least). */
static bool complete(const struct sb_app *a)
{
    return a->configuration_url && a->valid_domains;
}

static void release_app(void *elem)
{
    store_app_free(elem);
}

void store_app_free(struct sb_app *a)
{
    if (!a)
        return;
    free(a->configuration_url);
    free(a->valid_domains);
    a->configuration_url = a->valid_domains = NULL;
}

void store_app_free_array(struct sb_app *as, size_t n)
{
    for (size_t i = 0; as && i < n; i++)
        store_app_free(&as[i]);
    free(as);
}

/* store_select_one into a zeroed out, which holds nothing after an error. */
static sb_err select_app(struct store *st, enum db_sql id, struct sb_app *out, struct db_args args)
{
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = store_select_one(st, id, read_app, out, args);
    if (!err && !complete(out))
        err = SB_ERR_NOMEM;
    if (err)
        store_app_free(out);
    return err;
}

sb_err store_app_get(struct store *st, const char *id, struct sb_app *out)
{
    return select_app(st, SQL_APP_GET, out, DB_ARGS(db_text(id)));
}

sb_err store_app_list(struct store *st, const char *team_id, struct sb_app **out, size_t *n)
{
    sb_err err = store_select_all(st, SQL_APP_LIST, read_app, release_app, sizeof(**out),
                                  (void **)out, n, DB_ARGS(db_text(team_id ? team_id : "")));

    for (size_t i = 0; !err && i < *n; i++)
        if (!complete(&(*out)[i]))
            err = SB_ERR_NOMEM;
    if (err) {
        store_app_free_array(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return err;
}

sb_err store_app_by_connector(struct store *st, const char *team_id, const char *connector_id,
                              struct sb_app *out)
{
    return select_app(st, SQL_APP_BY_CONNECTOR, out,
                      DB_ARGS(db_text(connector_id), db_text(team_id)));
}

sb_err store_app_delete_tx(struct db *d, const char *id, const struct sb_audit *audit,
                           bool *deleted)
{
    sb_err err = db_run_one(d, SQL_APP_DELETE, DB_ARGS(db_text(id)));

    if (deleted)
        *deleted = err == SB_OK;
    if (err)
        return err == SB_ERR_NOT_FOUND ? SB_OK : err;
    return store_audit_insert_tx(d, audit);
}

struct app_delete {
    const char *id;
    const struct sb_audit *audit;
    bool deleted;
};

static sb_err app_delete_fn(struct db *d, void *arg)
{
    struct app_delete *ad = arg;
    sb_err err = store_app_delete_tx(d, ad->id, ad->audit, &ad->deleted);

    return !err && !ad->deleted ? SB_ERR_NOT_FOUND : err;
}

sb_err store_app_delete(struct store *st, const char *id, const struct sb_audit *audit)
{
    struct app_delete ad = {id, audit, false};

    return store_write(st, app_delete_fn, &ad);
}

struct icon_row {
    void **data;
    size_t *len;
    sb_err err;
};

static void read_icon(struct db *d, struct db_stmt *s, void *elem)
{
    struct icon_row *r = elem;
    size_t n = 0;
    const void *p = d->drv->col_blob(s, 0, &n);

    if (!p || !n) {
        r->err = SB_ERR_NOT_FOUND;
        return;
    }
    *r->data = malloc(n);
    if (!*r->data) {
        r->err = SB_ERR_NOMEM;
        return;
    }
    memcpy(*r->data, p, n);
    *r->len = n;
}

sb_err store_app_icon(struct store *st, const char *id, void **data, size_t *len)
{
    struct icon_row r = {data, len, SB_OK};
    sb_err err;

    *data = NULL;
    *len = 0;
    err = store_select_one(st, SQL_APP_ICON, read_icon, &r, DB_ARGS(db_text(id)));
    return err ? err : r.err;
}

static void read_usage(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_app_usage *u = elem;

    read_app(d, s, &u->app);
    db_col_copy(d, s, 14, u->team_name, sizeof(u->team_name));
    u->configurations = db_col_int(d, s, 15);
    u->teams = db_col_int(d, s, 16);
}

static void release_usage(void *elem)
{
    store_app_free(&((struct sb_app_usage *)elem)->app);
}

void store_app_usage_free_array(struct sb_app_usage *us, size_t n)
{
    for (size_t i = 0; us && i < n; i++)
        store_app_free(&us[i].app);
    free(us);
}

sb_err store_app_usage_list(struct store *st, struct sb_app_usage **out, size_t *n)
{
    sb_err err = store_select_all(st, SQL_APP_USAGE_LIST, read_usage, release_usage, sizeof(**out),
                                  (void **)out, n, DB_NO_ARGS);

    for (size_t i = 0; !err && i < *n; i++)
        if (!complete(&(*out)[i].app))
            err = SB_ERR_NOMEM;
    if (err) {
        store_app_usage_free_array(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return err;
}

sb_err store_app_usage_get(struct store *st, const char *id, struct sb_app_usage *out)
{
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = store_select_one(st, SQL_APP_USAGE_GET, read_usage, out, DB_ARGS(db_text(id)));
    if (!err && !complete(&out->app))
        err = SB_ERR_NOMEM;
    if (err)
        store_app_free(&out->app);
    return err;
}

struct app_block {
    const char *id;
    bool blocked;
    const struct sb_audit *audit;
};

static sb_err app_block_fn(struct db *d, void *arg)
{
    struct app_block *b = arg;
    sb_err err = db_run_one(d, SQL_APP_SET_BLOCKED, DB_ARGS(db_bool(b->blocked), db_text(b->id)));

    return err ? err : store_audit_insert_tx(d, b->audit);
}

sb_err store_app_set_blocked(struct store *st, const char *id, bool blocked,
                             const struct sb_audit *audit)
{
    struct app_block b = {id, blocked, audit};

    return store_write(st, app_block_fn, &b);
}

static void read_count(struct db *d, struct db_stmt *s, void *elem)
{
    *(int64_t *)elem = db_col_int(d, s, 0);
}

sb_err store_app_external_blocked(struct store *st, const char *external_id, bool *blocked)
{
    int64_t n = 0;
    sb_err err = store_select_one(st, SQL_APP_EXTERNAL_BLOCKED, read_count, &n,
                                  DB_ARGS(db_text(external_id)));

    *blocked = !err && n > 0;
    return err;
}
