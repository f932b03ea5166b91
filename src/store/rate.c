/*
 * rate.c: webhook rate limits shared by every server process on the database.
 *
 * A fixed one-second window per webhook, counted by an upsert that runs on its own (autocommit,
 * on a counter connection, outside the group commit) so that the count is current for every
 * process at once and a throttled post never waits for the writer's batch. Readers never
 * write; counters are the one write apart from the writer, and they are not durable (nothing
 * acknowledged depends on them). Accuracy: at most `limit` posts are accepted per calendar
 * second and webhook, across all processes; like any fixed window it can accept up to twice
 * the limit within one second that straddles a window boundary. Old windows are deleted now
 * and then by the process that opens a new one, STORE_PRUNE_BATCH at a time.
 */
#include "store/rate.h"

#include "store/internal.h"

sb_err store_rate_take(struct store *st, const char *connector_id, int64_t window_s, int64_t *hits)
{
    struct db d;
    struct db_stmt *s = NULL;
    bool row = false;
    sb_err err = store_count_begin(st, &d);

    *hits = 0;
    if (err)
        return err;
    err = db_query(&d, SQL_RATE_TAKE, &s, DB_ARGS(db_text(connector_id), db_int(window_s)));
    if (!err)
        err = db_step(&d, s, &row);
    if (!err && !row)
        err = SB_ERR_IO;
    if (!err)
        *hits = db_col_int(&d, s, 0);
    /* RETURNING rows must be stepped to completion before the statement is reset. */
    while (!err && row)
        err = db_step(&d, s, &row);
    db_done(&d, s);
    if (!err && *hits == 1 && window_s % 16 == 0)
        /* Older windows are no use to anyone; a miss here only leaves rows for the next time.
         * One batch at a time: windows are opened far more often than STORE_PRUNE_BATCH go
         * stale, and an unbounded DELETE would hold the write lock as long as it runs. */
        (void)db_run(&d, NULL, SQL_RATE_PRUNE,
                     DB_ARGS(db_int(window_s - 60), db_int(STORE_PRUNE_BATCH)));
    store_count_end(st, &d);
    return err;
}

bool store_shared(const struct store *st)
{
    return store_driver(st)->notify_sql != NULL;
}
