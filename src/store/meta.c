/*
 * meta.c: the store's own small queries: the liveness check (store_ping) and the
 * installation-wide values (store_meta_get, store_meta_init).
 */
#include "store/internal.h"

sb_err store_ping(struct store *st)
{
    struct db d;
    struct db_stmt *s = NULL;
    bool row = false;
    sb_err err = store_read_begin(st, &d);

    if (err)
        return err;
    err = db_query(&d, SQL_STORE_PING, &s, DB_NO_ARGS);
    if (!err)
        err = db_step(&d, s, &row);
    if (!err && !row)
        err = SB_ERR_IO;
    db_done(&d, s);
    store_read_end(st, &d);
    return err;
}

struct meta_init {
    const char *key, *value;
};

static sb_err meta_init_fn(struct db *d, void *arg)
{
    struct meta_init *mi = arg;

    return db_run(d, NULL, SQL_META_INIT, DB_ARGS(db_text(mi->key), db_text(mi->value)));
}

sb_err store_meta_get(struct store *st, const char *key, char **out)
{
    struct db d;
    struct db_stmt *s = NULL;
    sb_err err;
    bool row = false;

    *out = NULL;
    err = store_read_begin(st, &d);
    if (err)
        return err;
    err = db_query(&d, SQL_META_GET, &s, DB_ARGS(db_text(key)));
    if (err)
        goto out;
    err = db_step(&d, s, &row);
    if (!err && row)
        err = db_col_dup(&d, s, 0, out);
    else if (!err)
        err = SB_ERR_NOT_FOUND;
out:
    db_done(&d, s);
    store_read_end(st, &d);
    return err;
}

sb_err store_meta_init(struct store *st, const char *key, const char *value, char **out)
{
    struct meta_init mi = {key, value};
    sb_err err = store_write(st, meta_init_fn, &mi);

    if (err)
        return err;
    return store_meta_get(st, key, out);
}
