/*
 * signin.c: failed sign-ins counted per key (auth/throttle.c) and client-assertion ids already
 * used at the token endpoint (graphconn/assertion.c). Both live in the database so that every
 * server process on it agrees; writes go through the group-commit writer, expired rows are
 * deleted in batches of at most 100 by the writes themselves (no unbounded delete holds the
 * writer).
 */
#include "store/signin.h"

#include "store/internal.h"

#include <string.h>

struct fail_args {
    const char *const *keys;
    size_t n;
    int64_t now_ms, window_ms;
};

static sb_err fail_fn(struct db *d, void *arg)
{
    const struct fail_args *a = arg;
    int64_t expired = a->now_ms - a->window_ms;
    sb_err err = SB_OK;

    /* A row whose window has run out starts a new window with this failure. Every SET
     * expression sees the row as it was before the update. */
    for (size_t i = 0; i < a->n && !err; i++)
        err = db_run(
            d, NULL, SQL_SIGNIN_FAIL,
            DB_ARGS(db_text(a->keys[i]), db_int(a->now_ms), db_int(expired), db_int(expired)));
    if (!err)
        err = db_run(d, NULL, SQL_SIGNIN_PRUNE, DB_ARGS(db_int(expired)));
    return err;
}

sb_err store_signin_fail(struct store *st, const char *const *keys, size_t n, int64_t now_ms,
                         int64_t window_ms)
{
    struct fail_args a = {keys, n, now_ms, window_ms};

    return store_write(st, fail_fn, &a);
}

struct window {
    int64_t first_ms, hits;
};

static void read_window(struct db *d, struct db_stmt *s, void *elem)
{
    struct window *w = elem;

    w->first_ms = db_col_int(d, s, 0);
    w->hits = db_col_int(d, s, 1);
}

sb_err store_signin_failures(struct store *st, const char *key, int64_t since_ms, int64_t *hits,
                             int64_t *first_ms)
{
    struct window w = {0, 0};
    sb_err err = store_select_one(st, SQL_SIGNIN_FAILURES, read_window, &w,
                                  DB_ARGS(db_text(key), db_int(since_ms)));

    if (err == SB_ERR_NOT_FOUND)
        err = SB_OK;
    *hits = w.hits;
    *first_ms = w.first_ms;
    return err;
}

static sb_err reset_fn(struct db *d, void *arg)
{
    return db_run(d, NULL, SQL_SIGNIN_RESET, DB_ARGS(db_text((const char *)arg)));
}

sb_err store_signin_reset(struct store *st, const char *key)
{
    return store_write(st, reset_fn, (void *)key);
}

struct jti_args {
    const char *client_id, *jti;
    int64_t exp_ms, now_ms;
};

static sb_err jti_fn(struct db *d, void *arg)
{
    const struct jti_args *a = arg;
    int64_t changes = 0;
    sb_err err;

    /* A row left over from an assertion that has expired (not yet pruned) does not count. */
    err = db_run(
        d, &changes, SQL_ASSERTION_JTI_USE,
        DB_ARGS(db_text(a->client_id), db_text(a->jti), db_int(a->exp_ms), db_int(a->now_ms)));
    if (!err && changes == 0)
        return SB_ERR_CONFLICT;
    if (!err)
        err = db_run(d, NULL, SQL_ASSERTION_JTI_PRUNE, DB_ARGS(db_int(a->now_ms)));
    return err;
}

sb_err store_assertion_jti_use(struct store *st, const char *client_id, const char *jti,
                               int64_t exp_ms, int64_t now_ms)
{
    struct jti_args a = {client_id, jti, exp_ms, now_ms};

    return store_write(st, jti_fn, &a);
}
