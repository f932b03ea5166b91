/*
 * outbox.c: rows of the durable outbox (see src/outbox/outbox.h for the semantics).
 *
 * Claiming is one UPDATE whose WHERE re-checks the lease: on PostgreSQL a second process that
 * raced for the same row re-evaluates the condition after the first commits and updates nothing;
 * on SQLite the single writer serialises claims.
 */
#include "store/outbox.h"

#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

static void read_job(struct db *d, struct db_stmt *s, struct sb_outbox_job *j)
{
    db_col_copy(d, s, 0, j->id, sizeof(j->id));
    db_col_copy(d, s, 1, j->kind, sizeof(j->kind));
    db_col_copy(d, s, 2, j->state, sizeof(j->state));
    j->attempts = (int)db_col_int(d, s, 3);
    j->next_at_ms = db_col_int(d, s, 4);
    j->created_ms = db_col_int(d, s, 5);
    j->updated_ms = db_col_int(d, s, 6);
    db_col_copy(d, s, 7, j->last_error, sizeof(j->last_error));
}

struct job_read {
    struct sb_outbox_job *job;
    char **payload;
    sb_err err;
};

static void read_job_row(struct db *d, struct db_stmt *s, void *elem)
{
    struct job_read *r = elem;

    read_job(d, s, r->job);
    if (r->payload)
        r->err = db_col_dup(d, s, 8, r->payload);
}

sb_err store_outbox_insert_tx(struct db *d, const struct sb_outbox_job *j, const char *payload)
{
    return db_run(d, NULL, SQL_OUTBOX_INSERT,
                  DB_ARGS(db_text(j->id), db_text(j->kind), db_text(payload), db_int(j->next_at_ms),
                          db_int(j->created_ms), db_int(j->created_ms)));
}

struct job_insert {
    const struct sb_outbox_job *j;
    const char *payload;
};

static sb_err insert_fn(struct db *d, void *arg)
{
    struct job_insert *ji = arg;

    return store_outbox_insert_tx(d, ji->j, ji->payload);
}

sb_err store_outbox_insert(struct store *st, const struct sb_outbox_job *j, const char *payload)
{
    struct job_insert ji = {j, payload};

    return store_write(st, insert_fn, &ji);
}

sb_err store_outbox_get(struct store *st, const char *id, struct sb_outbox_job *out, char **payload)
{
    struct job_read r = {out, payload, SB_OK};
    sb_err err;

    if (payload)
        *payload = NULL;
    err = store_select_one(st, SQL_OUTBOX_GET, read_job_row, &r, DB_ARGS(db_text(id)));
    return err ? err : r.err;
}

static void read_due(struct db *d, struct db_stmt *s, void *elem)
{
    const char *t = d->drv->col_text(s, 0);

    *(int64_t *)elem = t ? db_col_int(d, s, 0) : INT64_MAX;
}

sb_err store_outbox_next_due(struct store *st, int64_t now_ms, int64_t *due)
{
    return store_outbox_next_due_lane(st, now_ms, NULL, due);
}

sb_err store_outbox_next_due_lane(struct store *st, int64_t now_ms,
                                  const struct store_outbox_lane *lane, int64_t *due)
{
    /* A job whose lease is current is due again when the lease runs out. */
    sb_err err =
        !lane ? store_select_one(st, SQL_OUTBOX_NEXT_DUE, read_due, due, DB_ARGS(db_int(now_ms)))
              : store_select_one(st,
                                 lane->only ? SQL_OUTBOX_NEXT_DUE_ONLY : SQL_OUTBOX_NEXT_DUE_EXCEPT,
                                 read_due, due, DB_ARGS(db_int(now_ms), db_text(lane->kind)));

    if (err == SB_ERR_NOT_FOUND) {
        *due = INT64_MAX;
        return SB_OK;
    }
    return err;
}

struct claim {
    int64_t now, lease_until;
    const char *owner;
    const struct store_outbox_lane *lane;
    struct job_read r;
};

static sb_err claim_fn(struct db *d, void *arg)
{
    struct claim *c = arg;
    struct db_stmt *s = NULL;
    sb_err err;
    bool row = false;

    if (!c->lane)
        err = db_query(d, SQL_OUTBOX_CLAIM, &s,
                       DB_ARGS(db_int(c->lease_until), db_text(c->owner), db_int(c->now),
                               db_int(c->now), db_int(c->now), db_int(c->now)));
    else
        err = db_query(d, c->lane->only ? SQL_OUTBOX_CLAIM_ONLY : SQL_OUTBOX_CLAIM_EXCEPT, &s,
                       DB_ARGS(db_int(c->lease_until), db_text(c->owner), db_int(c->now),
                               db_int(c->now), db_int(c->now), db_text(c->lane->kind),
                               db_int(c->now)));
    if (err)
        return err;
    err = db_step(d, s, &row);
    if (!err && row)
        read_job_row(d, s, &c->r);
    else if (!err)
        err = SB_ERR_NOT_FOUND;
    if (!err)
        err = c->r.err;
    db_done(d, s);
    return err;
}

sb_err store_outbox_claim(struct store *st, int64_t now_ms, int64_t lease_until_ms,
                          const char *owner, struct sb_outbox_job *out, char **payload)
{
    return store_outbox_claim_lane(st, now_ms, lease_until_ms, owner, NULL, out, payload);
}

sb_err store_outbox_claim_lane(struct store *st, int64_t now_ms, int64_t lease_until_ms,
                               const char *owner, const struct store_outbox_lane *lane,
                               struct sb_outbox_job *out, char **payload)
{
    struct claim c = {now_ms, lease_until_ms, owner, lane, {out, payload, SB_OK}};
    sb_err err;

    *payload = NULL;
    err = store_write(st, claim_fn, &c);
    if (err) {
        free(*payload);
        *payload = NULL;
    }
    return err;
}

struct finish {
    const char *id, *owner, *state, *error;
    int64_t next_at, now;
};

static sb_err finish_fn(struct db *d, void *arg)
{
    struct finish *f = arg;

    return db_run_one(d, SQL_OUTBOX_FINISH,
                      DB_ARGS(db_text(f->state), db_int(f->next_at),
                              db_text(f->error ? f->error : ""), db_int(f->now), db_text(f->id),
                              db_text(f->owner)));
}

sb_err store_outbox_finish(struct store *st, const char *id, const char *owner, const char *state,
                           int64_t next_at_ms, const char *last_error, int64_t now_ms)
{
    struct finish f = {id, owner, state, last_error, next_at_ms, now_ms};

    return store_write(st, finish_fn, &f);
}

static sb_err release_fn(struct db *d, void *arg)
{
    (void)arg;
    return db_run(d, NULL, SQL_OUTBOX_RELEASE, DB_NO_ARGS);
}

sb_err store_outbox_release_leases(struct store *st)
{
    return store_write(st, release_fn, NULL);
}
