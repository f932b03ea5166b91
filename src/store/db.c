#include "store/db.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sb_err bind_args(struct db *d, struct db_stmt *s, struct db_args args)
{
    sb_err err = SB_OK;

    for (size_t i = 0; i < args.n && !err; i++) {
        const struct db_val *v = &args.v[i];
        int idx = (int)i + 1;

        switch (v->type) {
        case DB_NULL:
            err = d->drv->bind_null(s, idx);
            break;
        case DB_TEXT:
            err = d->drv->bind_text(s, idx, v->u.text);
            break;
        case DB_INT:
            err = d->drv->bind_int64(s, idx, v->u.i);
            break;
        case DB_BLOB:
            err = d->drv->bind_blob(s, idx, v->u.blob.p, v->u.blob.n);
            break;
        default:
            err = SB_ERR_INVALID;
        }
    }
    return err;
}

bool db_is_sqlite(const struct db *d)
{
    return d->drv == &db_sqlite;
}

const char *db_sql_text(const struct db_driver *drv, enum db_sql id)
{
    if (id == SQL_BEGIN)
        return drv->begin_sql;
    if (id == SQL_NOTIFY)
        return drv->notify_sql;
    return db_sql_table[id];
}

static sb_err query(struct db *d, enum db_sql id, const char *sql, struct db_stmt **out,
                    struct db_args args)
{
    struct db_stmt *s;
    sb_err err;

    *out = NULL;
    if (d->fault && store_fault_hit(d->fault))
        return SB_ERR_IO;
    if (!sql)
        return SB_ERR_INVALID;
    err = d->drv->prepare(d->conn, id, sql, &s);
    if (err)
        return err;
    err = bind_args(d, s, args);
    if (err) {
        d->drv->reset(s);
        return err;
    }
    *out = s;
    return SB_OK;
}

sb_err db_query(struct db *d, enum db_sql id, struct db_stmt **out, struct db_args args)
{
    if ((unsigned)id >= (unsigned)SQL__COUNT) {
        *out = NULL;
        return SB_ERR_INVALID;
    }
    return query(d, id, db_sql_text(d->drv, id), out, args);
}

sb_err db_query_text(struct db *d, const char *sql, struct db_stmt **out, struct db_args args)
{
    return query(d, SQL_NONE, sql, out, args);
}

sb_err db_run(struct db *d, int64_t *changes, enum db_sql id, struct db_args args)
{
    struct db_stmt *s;
    bool row = false;
    sb_err err = db_query(d, id, &s, args);

    if (err)
        return err;
    do {
        err = d->drv->step(s, &row);
    } while (!err && row);
    if (!err && changes)
        *changes = d->drv->changes(d->conn);
    d->drv->reset(s);
    return err;
}

sb_err db_step(struct db *d, struct db_stmt *s, bool *row)
{
    return d->drv->step(s, row);
}

void db_done(struct db *d, struct db_stmt *s)
{
    if (s)
        d->drv->reset(s);
}

void db_col_copy(struct db *d, struct db_stmt *s, int idx, char *dst, size_t cap)
{
    const char *v = d->drv->col_text(s, idx);
    size_t n = v ? strlen(v) : 0;

    if (n >= cap)
        n = cap - 1;
    if (v && n)
        memcpy(dst, v, n);
    dst[n] = '\0';
}

sb_err db_col_dup(struct db *d, struct db_stmt *s, int idx, char **out)
{
    const char *v = d->drv->col_text(s, idx);

    *out = NULL;
    if (!v)
        return SB_OK;
    *out = strdup(v);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

int64_t db_col_int(struct db *d, struct db_stmt *s, int idx)
{
    return d->drv->col_int64(s, idx);
}

sb_err store_grow(void **arr, size_t *cap, size_t len, size_t size)
{
    size_t ncap;
    void *p;

    if (len < *cap)
        return SB_OK;
    ncap = *cap ? *cap * 2 : 16;
    if (ncap > SIZE_MAX / size)
        return SB_ERR_NOMEM;
    p = realloc(*arr, ncap * size);
    if (!p)
        return SB_ERR_NOMEM;
    *arr = p;
    *cap = ncap;
    return SB_OK;
}

void store_lower(const char *in, char *out, size_t cap)
{
    size_t i;

    for (i = 0; in[i] && i + 1 < cap; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
    out[i] = '\0';
}

sb_err db_run_one(struct db *d, enum db_sql id, struct db_args args)
{
    struct db_stmt *s = NULL;
    int64_t n = 0;
    bool row = false;
    sb_err err = db_query(d, id, &s, args);

    if (err)
        return err;
    err = db_step(d, s, &row);
    /* A statement that returns rows (RETURNING) is not what this runs: a row is an error, as
     * it was when the step code was compared with "done". */
    if (!err && row)
        err = SB_ERR_IO;
    if (!err)
        n = d->drv->changes(d->conn);
    db_done(d, s);
    if (err)
        return err;
    return n ? SB_OK : SB_ERR_NOT_FOUND;
}

sb_err db_notify(struct db *d, const char *kind, const char *rest)
{
    char payload[256];

    int len;

    if (!d->node || (!d->drv->notify_sql && !d->notes))
        return SB_OK;
    len = snprintf(payload, sizeof(payload), "%s %s %s", kind, d->node, rest);
    if (len < 0 || len >= (int)sizeof(payload) || strchr(payload, '\n'))
        return SB_ERR_INVALID;
    if (d->notes)
        return sb_buf_append(d->notes, payload, (size_t)len + 1); /* the NUL separates them */
    return db_run(d, NULL, SQL_NOTIFY, DB_ARGS(db_text(payload)));
}

sb_err db_notify_flush(struct db *d)
{
    struct sb_buf *notes = d->notes;
    sb_err err;

    if (!notes || !notes->len)
        return SB_OK;
    /* The NULs between payloads become newlines; notify_sql splits them again, so every
     * payload is a notification of its own, as a node of an earlier version expects
     * (PostgreSQL still delivers identical ones of a transaction once). */
    for (size_t i = 0; i + 1 < notes->len; i++)
        if (notes->data[i] == '\0')
            notes->data[i] = '\n';
    err = db_run(d, NULL, SQL_NOTIFY, DB_ARGS(db_text(notes->data)));
    notes->len = 0;
    notes->data[0] = '\0';
    return err;
}
