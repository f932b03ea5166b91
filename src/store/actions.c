/*
 * actions.c: executions of card actions (actionable messages).
 */
#include "store/actions.h"

#include "model/outbox.h"
#include "store/internal.h"

#include <stdio.h>
#include <string.h>

struct action_create {
    const struct sb_action_execution *e;
    const char *kind, *payload;
    int64_t now;
};

static sb_err create_fn(struct db *d, void *arg)
{
    struct action_create *ac = arg;
    const struct sb_action_execution *e = ac->e;
    struct sb_outbox_job job;
    sb_err err;

    err = db_run(d, NULL, SQL_ACTION_CREATE,
                 DB_ARGS(db_text(e->id), db_text(e->message_id), db_text(e->action_id),
                         db_text(e->user_id), db_text(e->connector_id), db_text(e->team_id),
                         db_text(e->channel_id), db_text(e->target), db_text(e->created),
                         db_text(e->created)));
    if (err)
        return err;
    memset(&job, 0, sizeof(job));
    memcpy(job.id, e->id, sizeof(job.id));
    snprintf(job.kind, sizeof(job.kind), "%s", ac->kind);
    job.created_ms = job.next_at_ms = ac->now;
    return store_outbox_insert_tx(d, &job, ac->payload);
}

sb_err store_action_create(struct store *st, const struct sb_action_execution *e,
                           const char *job_kind, const char *payload, int64_t now_ms)
{
    struct action_create ac = {e, job_kind, payload, now_ms};

    return store_write(st, create_fn, &ac);
}

static void read_action(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_action_execution *e = elem;

    db_col_copy(d, s, 0, e->id, sizeof(e->id));
    db_col_copy(d, s, 1, e->message_id, sizeof(e->message_id));
    db_col_copy(d, s, 2, e->action_id, sizeof(e->action_id));
    db_col_copy(d, s, 3, e->user_id, sizeof(e->user_id));
    db_col_copy(d, s, 4, e->connector_id, sizeof(e->connector_id));
    db_col_copy(d, s, 5, e->team_id, sizeof(e->team_id));
    db_col_copy(d, s, 6, e->channel_id, sizeof(e->channel_id));
    db_col_copy(d, s, 7, e->target, sizeof(e->target));
    db_col_copy(d, s, 8, e->status, sizeof(e->status));
    e->http_status = (int)db_col_int(d, s, 9);
    db_col_copy(d, s, 10, e->card_action_status, sizeof(e->card_action_status));
    db_col_copy(d, s, 11, e->error, sizeof(e->error));
    e->card_updated = db_col_int(d, s, 12) != 0;
    db_col_copy(d, s, 13, e->created, sizeof(e->created));
    db_col_copy(d, s, 14, e->updated, sizeof(e->updated));
}

sb_err store_action_get(struct store *st, const char *id, struct sb_action_execution *out)
{
    return store_select_one(st, SQL_ACTION_GET, read_action, out, DB_ARGS(db_text(id)));
}

static sb_err finish_fn(struct db *d, void *arg)
{
    const struct sb_action_execution *e = arg;

    return db_run_one(d, SQL_ACTION_FINISH,
                      DB_ARGS(db_text(e->status), db_int(e->http_status),
                              db_text(e->card_action_status), db_text(e->error),
                              db_bool(e->card_updated), db_text(e->updated), db_text(e->id)));
}

sb_err store_action_finish(struct store *st, const struct sb_action_execution *e)
{
    return store_write(st, finish_fn, (void *)e);
}
