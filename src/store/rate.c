/*
 * rate.c: webhook rate limits shared by every server process on the database.
 *
 * A fixed one-second window per webhook, counted by an upsert that runs on its own (autocommit,
 * outside the group commit) so that the count is current for every process at once. Accuracy:
 * at most `limit` posts are accepted per calendar second and webhook, across all processes;
 * like any fixed window it can accept up to twice the limit within one second that straddles a
 * window boundary. Old windows are deleted now and then by the process that opens a new one,
 * STORE_PRUNE_BATCH at a time.
 */
#include "store/internal.h"

static void read_hits(struct db *d, struct db_stmt *s, void *elem)
{
    *(int64_t *)elem = db_col_int(d, s, 0);
}

sb_err store_rate_take(struct store *st, const char *connector_id, int64_t window_s, int64_t *hits)
{
    sb_err err = store_select_one(st, SQL_RATE_TAKE_INSERT_RATE_WINDOWS, read_hits, hits,
                                  DB_ARGS(db_text(connector_id), db_int(window_s)));

    if (!err && *hits == 1 && window_s % 16 == 0) {
        int64_t unused;
        /* Older windows are no use to anyone; a miss here only leaves rows for the next time.
         * One batch at a time: windows are opened far more often than STORE_PRUNE_BATCH go
         * stale, and an unbounded DELETE would hold the write lock as long as it runs. */
        (void)store_select_one(st, SQL_RATE_TAKE_DELETE_RATE_WINDOWS, read_hits, &unused,
                               DB_ARGS(db_int(window_s - 60), db_int(STORE_PRUNE_BATCH)));
    }
    return err;
}

bool store_shared(const struct store *st)
{
    return store_driver(st)->notify_sql != NULL;
}
