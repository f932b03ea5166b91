/*
 * connectors.c: connector configurations, their delivery logs, and organisation settings.
 */
#include "store/connectors.h"

#include "model/audit.h"
#include "store/internal.h"
#include "store/message_search.h"
#include "store/settings.h"

#include <stdlib.h>
#include <string.h>

static void read_text(struct db *d, struct db_stmt *s, void *elem)
{
    struct {
        char **out;
        sb_err err;
    } *r = elem;

    r->err = db_col_dup(d, s, 0, r->out);
}

sb_err store_setting_get(struct store *st, const char *key, char **value)
{
    struct {
        char **out;
        sb_err err;
    } r = {value, SB_OK};
    sb_err err;

    *value = NULL;
    err = store_select_one(st, SQL_SETTING_GET, read_text, &r, DB_ARGS(db_text(key)));
    return err ? err : r.err;
}

struct setting_set {
    const char *key, *value;
};

static sb_err setting_set_fn(struct db *d, void *arg)
{
    struct setting_set *ss = arg;

    if (!ss->value)
        return db_run(d, NULL, SQL_SETTING_DELETE, DB_ARGS(db_text(ss->key)));
    return db_run(d, NULL, SQL_SETTING_UPSERT, DB_ARGS(db_text(ss->key), db_text(ss->value)));
}

sb_err store_setting_set(struct store *st, const char *key, const char *value)
{
    struct setting_set ss = {key, value};
    return store_write(st, setting_set_fn, &ss);
}

struct settings_put {
    const char *const *keys, *const *values;
    size_t n;
    const struct sb_audit *audit;
};

static sb_err settings_put_fn(struct db *d, void *arg)
{
    const struct settings_put *sp = arg;
    sb_err err = SB_OK;

    for (size_t i = 0; !err && i < sp->n; i++) {
        struct setting_set ss = {sp->keys[i], sp->values[i]};

        err = setting_set_fn(d, &ss);
    }
    return err ? err : store_audit_insert_tx(d, sp->audit);
}

sb_err store_settings_put(struct store *st, const char *const *keys, const char *const *values,
                          size_t n, const struct sb_audit *audit)
{
    struct settings_put sp = {keys, values, n, audit};

    return store_write(st, settings_put_fn, &sp);
}

static void read_connector(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_connector *c = elem;

    db_col_copy(d, s, 0, c->id, sizeof(c->id));
    db_col_copy(d, s, 1, c->kind, sizeof(c->kind));
    db_col_copy(d, s, 2, c->connector_id, sizeof(c->connector_id));
    db_col_copy(d, s, 3, c->team_id, sizeof(c->team_id));
    db_col_copy(d, s, 4, c->channel_id, sizeof(c->channel_id));
    db_col_copy(d, s, 5, c->name, sizeof(c->name));
    db_col_copy(d, s, 6, c->image_type, sizeof(c->image_type));
    db_col_copy(d, s, 7, c->created_by, sizeof(c->created_by));
    db_col_copy(d, s, 8, c->created, sizeof(c->created));
    db_col_copy(d, s, 9, c->url_format, sizeof(c->url_format));
    db_col_copy(d, s, 10, c->url_nonce, sizeof(c->url_nonce));
    c->deleted = db_col_int(d, s, 11) != 0;
    db_col_copy(d, s, 12, c->app_type, sizeof(c->app_type));
}

/* The audit entries of a configuration change, inside its transaction. */
static sb_err audits_insert(struct db *d, const struct sb_audit *audits, size_t n)
{
    sb_err err = SB_OK;

    for (size_t i = 0; !err && i < n; i++)
        err = store_audit_insert_tx(d, &audits[i]);
    return err;
}

struct connector_insert {
    const struct sb_connector *c;
    const void *image;
    size_t image_len;
    const char *settings;
    const struct sb_audit *audits;
    size_t naudits;
};

static sb_err connector_insert_fn(struct db *d, void *arg)
{
    struct connector_insert *ci = arg;
    const struct sb_connector *c = ci->c;
    sb_err err;

    err = db_run(d, NULL, SQL_CONNECTOR_INSERT,
                 DB_ARGS(db_text(c->id), db_text(c->kind), db_text(c->connector_id),
                         db_text(c->team_id), db_text(c->channel_id), db_text(c->name),
                         db_text(c->image_type), db_blob(ci->image, ci->image_len),
                         db_text(c->created_by), db_text(c->created), db_text(c->url_format),
                         db_text(c->url_nonce), db_text(ci->settings ? ci->settings : "{}"),
                         db_text(c->app_type[0] ? c->app_type : "teams")));
    return err ? err : audits_insert(d, ci->audits, ci->naudits);
}

sb_err store_connector_insert(struct store *st, const struct sb_connector *c, const void *image,
                              size_t image_len, const char *settings, const struct sb_audit *audits,
                              size_t naudits)
{
    struct connector_insert ci = {c, image, image_len, settings, audits, naudits};
    return store_write(st, connector_insert_fn, &ci);
}

sb_err store_connector_get(struct store *st, const char *id, struct sb_connector *out)
{
    return store_select_one(st, SQL_CONNECTOR_GET, read_connector, out, DB_ARGS(db_text(id)));
}

sb_err store_connector_by_key(struct store *st, const char *key, struct sb_connector *out)
{
    return store_select_one(st, SQL_CONNECTOR_BY_KEY, read_connector, out, DB_ARGS(db_text(key)));
}

sb_err store_connector_list(struct store *st, const char *channel_id, struct sb_connector **out,
                            size_t *n)
{
    return store_select_all(st, SQL_CONNECTOR_LIST, read_connector, NULL, sizeof(**out),
                            (void **)out, n, DB_ARGS(db_text(channel_id)));
}

struct connector_update {
    const char *id, *a, *b;
    const struct sb_audit *audits;
    size_t naudits;
};

static sb_err rename_fn(struct db *d, void *arg)
{
    struct connector_update *cu = arg;
    sb_err err = db_run_one(d, SQL_CONNECTOR_RENAME, DB_ARGS(db_text(cu->a), db_text(cu->id)));

    return err ? err : audits_insert(d, cu->audits, cu->naudits);
}

static sb_err set_url_fn(struct db *d, void *arg)
{
    struct connector_update *cu = arg;
    sb_err err = db_run_one(d, SQL_CONNECTOR_SET_URL,
                            DB_ARGS(db_text(cu->a), db_text(cu->b), db_text(cu->id)));

    return err ? err : audits_insert(d, cu->audits, cu->naudits);
}

static sb_err delete_fn(struct db *d, void *arg)
{
    struct connector_update *cu = arg;
    sb_err err;

    /* The avatar goes with the configuration; the row stays as a tombstone for 410 answers. */
    err = db_run_one(d, SQL_CONNECTOR_DELETE, DB_ARGS(db_text(cu->a), db_text(cu->id)));
    return err ? err : audits_insert(d, cu->audits, cu->naudits);
}

sb_err store_connector_rename(struct store *st, const char *id, const char *name,
                              const struct sb_audit *audits, size_t naudits)
{
    struct connector_update cu = {id, name, NULL, audits, naudits};
    return store_write(st, rename_fn, &cu);
}

sb_err store_connector_set_url(struct store *st, const char *id, const char *format,
                               const char *nonce, const struct sb_audit *audits, size_t naudits)
{
    struct connector_update cu = {id, format, nonce, audits, naudits};
    return store_write(st, set_url_fn, &cu);
}

sb_err store_connector_delete(struct store *st, const char *id, const char *at,
                              const struct sb_audit *audits, size_t naudits)
{
    struct connector_update cu = {id, at, NULL, audits, naudits};
    return store_write(st, delete_fn, &cu);
}

sb_err store_connector_settings(struct store *st, const char *id, char **settings)
{
    struct {
        char **out;
        sb_err err;
    } r = {settings, SB_OK};
    sb_err err;

    *settings = NULL;
    err = store_select_one(st, SQL_CONNECTOR_SETTINGS, read_text, &r, DB_ARGS(db_text(id)));
    return err ? err : r.err;
}

static sb_err set_settings_fn(struct db *d, void *arg)
{
    struct connector_update *cu = arg;
    sb_err err;

    if (cu->a)
        err = db_run_one(d, SQL_CONNECTOR_SET_NAME_SETTINGS,
                         DB_ARGS(db_text(cu->a), db_text(cu->b), db_text(cu->id)));
    else
        err = db_run_one(d, SQL_CONNECTOR_SET_SETTINGS_ONLY,
                         DB_ARGS(db_text(cu->b), db_text(cu->id)));
    return err ? err : audits_insert(d, cu->audits, cu->naudits);
}

sb_err store_connector_set_settings(struct store *st, const char *id, const char *name,
                                    const char *settings, const struct sb_audit *audits,
                                    size_t naudits)
{
    struct connector_update cu = {id, name, settings, audits, naudits};
    return store_write(st, set_settings_fn, &cu);
}

struct image_row {
    char *type;
    size_t type_cap;
    void **data;
    size_t *len;
    sb_err err;
};

static void read_image(struct db *d, struct db_stmt *s, void *elem)
{
    struct image_row *r = elem;
    size_t n = 0;
    const void *p;

    db_col_copy(d, s, 0, r->type, r->type_cap);
    p = d->drv->col_blob(s, 1, &n);
    if (!p || n == 0 || !r->type[0]) {
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

sb_err store_connector_image(struct store *st, const char *id, char *type, size_t type_cap,
                             void **data, size_t *len)
{
    struct image_row r = {type, type_cap, data, len, SB_OK};
    sb_err err;

    *data = NULL;
    *len = 0;
    err = store_select_one(st, SQL_CONNECTOR_IMAGE, read_image, &r, DB_ARGS(db_text(id)));
    return err ? err : r.err;
}

#define DELIVERIES_PRUNE_EVERY 16

/* Keep the newest SB_DELIVERIES_KEPT entries of this configuration. Pruning every insert
 * would scan that many index entries per post; every 16th is enough, since reads are limited
 * to SB_DELIVERIES_KEPT anyway. At most STORE_PRUNE_BATCH rows go at once (this runs inside a
 * post's write); the oldest first, the rest with the next prunes, which come 16 times as often
 * as one configuration's rows accrue on average. seq: the row just inserted. */
static sb_err delivery_prune(struct db *d, const struct sb_delivery *dl, int64_t seq)
{
    if (seq % DELIVERIES_PRUNE_EVERY != 0)
        return SB_OK;
    return db_run(d, NULL, SQL_DELIVERY_PRUNE,
                  DB_ARGS(db_text(dl->connector_id), db_text(dl->connector_id),
                          db_int(SB_DELIVERIES_KEPT), db_int(STORE_PRUNE_BATCH)));
}

static sb_err delivery_insert(struct db *d, const struct sb_delivery *dl)
{
    struct db_stmt *s = NULL;
    int64_t seq = 0;
    sb_err err;
    bool row = false;

    err = db_query(d, SQL_DELIVERY_INSERT, &s,
                   DB_ARGS(db_text(dl->connector_id), db_text(dl->at), db_int(dl->size),
                           db_int(dl->status), db_text(dl->error), db_text(dl->message_id)));
    if (err)
        return err;
    while (!(err = db_step(d, s, &row)) && row)
        seq = db_col_int(d, s, 0);
    db_done(d, s);
    return err ? err : delivery_prune(d, dl, seq);
}

static sb_err delivery_fn(struct db *d, void *arg)
{
    return delivery_insert(d, arg);
}

sb_err store_delivery_append(struct store *st, const struct sb_delivery *d)
{
    return store_write(st, delivery_fn, (void *)d);
}

/* Deliveries waiting for the writer beyond which refused posts are no longer logged. */
#define DELIVERY_LOG_BACKLOG_MAX 4096

static void delivery_logged(void *arg, sb_err err)
{
    (void)err; /* a lost log line must not turn into anything else */
    free(arg);
}

sb_err store_delivery_log(struct store *st, const struct sb_delivery *d)
{
    struct sb_delivery *copy;
    sb_err err;

    if (store_write_backlog(st) >= DELIVERY_LOG_BACKLOG_MAX)
        return SB_ERR_THROTTLED;
    copy = malloc(sizeof(*copy));
    if (!copy)
        return SB_ERR_NOMEM;
    *copy = *d;
    err = store_write_async(st, delivery_fn, copy, delivery_logged, copy);
    if (err)
        free(copy);
    return err;
}

static void read_delivery(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_delivery *dl = elem;

    dl->seq = db_col_int(d, s, 0);
    db_col_copy(d, s, 1, dl->connector_id, sizeof(dl->connector_id));
    db_col_copy(d, s, 2, dl->at, sizeof(dl->at));
    dl->size = db_col_int(d, s, 3);
    dl->status = (int)db_col_int(d, s, 4);
    db_col_copy(d, s, 5, dl->error, sizeof(dl->error));
    db_col_copy(d, s, 6, dl->message_id, sizeof(dl->message_id));
}

sb_err store_delivery_list(struct store *st, const char *connector_id, size_t limit,
                           struct sb_delivery **out, size_t *n)
{
    store_write_flush(st); /* the refusals logged asynchronously so far are part of the log */
    return store_select_all(st, SQL_DELIVERY_LIST, read_delivery, NULL, sizeof(**out), (void **)out,
                            n, DB_ARGS(db_text(connector_id), db_int(limit)));
}

struct webhook_deliver {
    struct sb_message *m;
    const struct sb_delivery *d;
    char *search_text; /* computed on the posting thread, not the writer's */
    store_done_fn done;
    void *arg;
};

static void webhook_delivered(void *arg, sb_err err)
{
    struct webhook_deliver *wd = arg;
    store_done_fn done = wd->done;
    void *done_arg = wd->arg;

    free(wd->search_text);
    free(wd);
    done(done_arg, err);
}

static sb_err webhook_deliver_fn(struct db *d, void *arg)
{
    struct webhook_deliver *wd = arg;
    const struct sb_delivery *dl = wd->d;
    struct store_message_with with;
    sb_err err;

    if (db_is_sqlite(d)) {
        err = store_message_insert(d, wd->m, wd->search_text);
        return err ? err : delivery_insert(d, dl);
    }
    /* PostgreSQL: the message's statement inserts the delivery-log row too, saving a round
     * trip per post on the group commit's connection. */
    with.sql = SQL_MESSAGE_DELIVERY_INSERT;
    with.args = DB_ARGS(db_text(dl->connector_id), db_text(dl->at), db_int(dl->size),
                        db_int(dl->status), db_text(dl->error), db_text(dl->message_id));
    with.seq = 0;
    err = store_message_insert_with(d, wd->m, wd->search_text, &with);
    return err ? err : delivery_prune(d, dl, with.seq);
}

sb_err store_webhook_deliver(struct store *st, struct sb_message *m, const struct sb_delivery *d,
                             store_done_fn done, void *arg)
{
    struct webhook_deliver *wd = malloc(sizeof(*wd));
    sb_err err;

    if (!wd)
        return SB_ERR_NOMEM;
    wd->m = m;
    wd->d = d;
    wd->done = done;
    wd->arg = arg;
    if ((err = store_message_search_text(m, &wd->search_text))) {
        free(wd);
        return err;
    }
    err = store_write_async(st, webhook_deliver_fn, wd, webhook_delivered, wd);
    if (err) {
        free(wd->search_text);
        free(wd);
    }
    return err;
}
