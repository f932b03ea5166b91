/*
 * select.c: the read helpers of the domain files (store_select_one, store_select_all): one
 * query on a pooled reader connection, each row read by the caller's function; and for rows of
 * a page read in one query, the seq range to ask for and each message's share of the rows.
 */
#include "store/internal.h"

#include "model/messages.h"

#include <stdlib.h>
#include <string.h>

/* id names the statement; SQL_NONE runs the ad hoc sql instead. */
static sb_err vselect(struct store *st, enum db_sql id, const char *sql, store_row_fn read,
                      store_release_fn release, size_t elem, void *one, void **all, size_t *n,
                      struct db_args args)
{
    struct db d;
    struct db_stmt *s = NULL;
    size_t len = 0, cap = 0;
    char *v = NULL;
    sb_err err = store_read_begin(st, &d);
    bool row = false;

    if (err)
        return err;
    err = id == SQL_NONE ? db_query_text(&d, sql, &s, args) : db_query(&d, id, &s, args);
    if (err)
        goto out;
    while (!(err = db_step(&d, s, &row)) && row) {
        if (one) {
            read(&d, s, one);
            break;
        }
        err = store_grow((void **)&v, &cap, len, elem);
        if (err)
            goto out;
        memset(v + len * elem, 0, elem);
        read(&d, s, v + len * elem);
        len++;
    }
    if (!err && !row && one)
        err = SB_ERR_NOT_FOUND;
out:
    db_done(&d, s);
    store_read_end(st, &d);
    if (all) {
        if (err) {
            for (size_t i = 0; release && i < len; i++)
                release(v + i * elem);
            free(v);
        } else {
            *all = v;
            *n = len;
        }
    }
    return err;
}

sb_err store_select_one(struct store *st, enum db_sql id, store_row_fn read, void *out,
                        struct db_args args)
{
    return vselect(st, id, NULL, read, NULL, 0, out, NULL, NULL, args);
}

sb_err store_select_one_text(struct store *st, const char *sql, store_row_fn read, void *out,
                             struct db_args args)
{
    return vselect(st, SQL_NONE, sql, read, NULL, 0, out, NULL, NULL, args);
}

sb_err store_select_all(struct store *st, enum db_sql id, store_row_fn read,
                        store_release_fn release, size_t elem, void **out, size_t *n,
                        struct db_args args)
{
    *out = NULL;
    *n = 0;
    return vselect(st, id, NULL, read, release, elem, NULL, out, n, args);
}

void store_seq_range(const struct sb_message *ms, size_t n, int64_t *lo, int64_t *hi)
{
    *lo = INT64_MAX;
    *hi = 0;
    for (size_t i = 0; i < n; i++) {
        *lo = ms[i].seq < *lo ? ms[i].seq : *lo;
        *hi = ms[i].seq > *hi ? ms[i].seq : *hi;
    }
}

sb_err store_rows_of(const void *rows, size_t nrows, size_t row_size, size_t item_off,
                     size_t item_size, const char *message_id, void **out, size_t *n)
{
    const char *r = rows;
    char *items;
    size_t k = 0;

    *out = NULL;
    *n = 0;
    for (size_t j = 0; j < nrows; j++)
        k += strcmp(r + j * row_size, message_id) == 0;
    if (k == 0)
        return SB_OK;
    items = calloc(k, item_size);
    if (!items)
        return SB_ERR_NOMEM;
    for (size_t j = 0; j < nrows; j++)
        if (strcmp(r + j * row_size, message_id) == 0)
            memcpy(items + (*n)++ * item_size, r + j * row_size + item_off, item_size);
    *out = items;
    return SB_OK;
}
