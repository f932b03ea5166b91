/*
 * signing_keys.c: the RSA keys that sign Switchboard's own tokens.
 */
#include "store/signing_keys.h"

#include "store/internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static sb_err insert_fn(struct db *d, void *arg)
{
    const struct sb_signing_key *k = arg;

    return db_run(d, NULL, SQL_SIGNING_KEY_INSERT,
                  DB_ARGS(db_text(k->kid), db_int(k->period), db_int(k->created_ms),
                          db_text(k->private_pem), db_text(k->n), db_text(k->e)));
}

sb_err store_signing_key_insert(struct store *st, const struct sb_signing_key *k)
{
    return store_write(st, insert_fn, (void *)k);
}

static void wipe_key(void *elem)
{
    struct sb_signing_key *k = elem;

    if (k->private_pem) {
        sodium_memzero(k->private_pem, strlen(k->private_pem));
        free(k->private_pem);
        k->private_pem = NULL;
    }
}

static void read_key(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_signing_key *k = elem;

    db_col_copy(d, s, 0, k->kid, sizeof(k->kid));
    k->created_ms = db_col_int(d, s, 1);
    /* A failed copy leaves it NULL; store_signing_key_list checks (the column is NOT NULL). */
    (void)db_col_dup(d, s, 2, &k->private_pem);
    db_col_copy(d, s, 3, k->n, sizeof(k->n));
    db_col_copy(d, s, 4, k->e, sizeof(k->e));
    k->period = db_col_int(d, s, 5);
}

sb_err store_signing_key_list(struct store *st, struct sb_signing_key **out, size_t *n)
{
    sb_err err = store_select_all(st, SQL_SIGNING_KEY_LIST, read_key, wipe_key, sizeof(**out),
                                  (void **)out, n, DB_NO_ARGS);

    for (size_t i = 0; !err && i < *n; i++)
        if (!(*out)[i].private_pem)
            err = SB_ERR_NOMEM;
    if (err) {
        store_signing_key_free_array(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return err;
}

void store_signing_key_free_array(struct sb_signing_key *keys, size_t n)
{
    for (size_t i = 0; keys && i < n; i++)
        wipe_key(&keys[i]);
    free(keys);
}

static sb_err prune_fn(struct db *d, void *arg)
{
    struct store_prune *p = arg;

    return db_run(d, &p->deleted, SQL_SIGNING_KEY_PRUNE,
                  DB_ARGS(db_int(*(const int64_t *)p->arg), db_int(STORE_PRUNE_BATCH)));
}

sb_err store_signing_key_prune(struct store *st, int64_t created_ms)
{
    struct store_prune p = {&created_ms, 0};

    return store_prune_batches(st, prune_fn, &p);
}
