/*
 * oidc.c: single sign-on requests in progress (see oidc.h). Taking a request deletes it in the
 * same statement (DELETE ... RETURNING), so two callbacks racing with one state cannot both get
 * it.
 */
#include "store/oidc.h"

#include "store/internal.h"

#include <string.h>

struct put_args {
    const char *state_hash, *nonce, *verifier;
    int64_t expires_ms, now_ms;
};

static sb_err put_fn(struct db *d, void *arg)
{
    const struct put_args *a = arg;
    sb_err err = db_run(d, NULL, SQL_OIDC_LOGIN_INSERT,
                        DB_ARGS(db_text(a->state_hash), db_text(a->nonce), db_text(a->verifier),
                                db_int(a->expires_ms)));

    if (!err)
        err = db_run(d, NULL, SQL_OIDC_LOGIN_PRUNE, DB_ARGS(db_int(a->now_ms)));
    return err;
}

sb_err store_oidc_login_put(struct store *st, const char *state_hash, const char *nonce,
                            const char *verifier, int64_t expires_ms, int64_t now_ms)
{
    struct put_args a = {state_hash, nonce, verifier, expires_ms, now_ms};

    if (strlen(nonce) > STORE_OIDC_TEXT_MAX || strlen(verifier) > STORE_OIDC_TEXT_MAX)
        return SB_ERR_INVALID;
    return store_write(st, put_fn, &a);
}

struct take_args {
    const char *state_hash;
    int64_t now_ms;
    char *nonce, *verifier;
    bool found;
};

static sb_err take_fn(struct db *d, void *arg)
{
    struct take_args *a = arg;
    struct db_stmt *s = NULL;
    bool row = false;
    sb_err err;

    a->found = false; /* the writer may run this again after a failed batch */
    err = db_query(d, SQL_OIDC_LOGIN_TAKE, &s, DB_ARGS(db_text(a->state_hash), db_int(a->now_ms)));
    if (err)
        return err;
    while (!(err = db_step(d, s, &row)) && row) {
        db_col_copy(d, s, 0, a->nonce, STORE_OIDC_TEXT_MAX + 1);
        db_col_copy(d, s, 1, a->verifier, STORE_OIDC_TEXT_MAX + 1);
        a->found = true;
    }
    db_done(d, s);
    return err;
}

sb_err store_oidc_login_take(struct store *st, const char *state_hash, int64_t now_ms, char *nonce,
                             char *verifier)
{
    struct take_args a = {state_hash, now_ms, nonce, verifier, false};
    sb_err err;

    nonce[0] = verifier[0] = '\0';
    err = store_write(st, take_fn, &a);
    if (!err && !a.found)
        err = SB_ERR_NOT_FOUND;
    return err;
}
