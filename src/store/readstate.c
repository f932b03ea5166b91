/*
 * readstate.c: read positions and unread counts (store/readstate.h).
 */
#include "store/readstate.h"

#include "store/internal.h"

#include <string.h>

struct read_set {
    const char *user_id, *channel_id, *message_id, *now;
    int64_t seq;
};

static sb_err read_set_fn(struct db *d, void *arg)
{
    const struct read_set *r = arg;

    return db_run(d, NULL, SQL_READ_STATE_SET,
                  DB_ARGS(db_text(r->user_id), db_text(r->channel_id), db_int(r->seq),
                          db_text(r->message_id), db_text(r->now)));
}

sb_err store_read_state_set(struct store *st, const char *user_id, const char *channel_id,
                            int64_t seq, const char *message_id, const char *now)
{
    struct read_set r = {user_id, channel_id, message_id, now, seq};

    return store_write(st, read_set_fn, &r);
}

static void read_state(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_channel_state *c = elem;

    db_col_copy(d, s, 0, c->team_id, sizeof(c->team_id));
    db_col_copy(d, s, 1, c->channel_id, sizeof(c->channel_id));
    db_col_copy(d, s, 2, c->last_read_id, sizeof(c->last_read_id));
    c->unread = db_col_int(d, s, 3);
    c->mention_count = db_col_int(d, s, 4);
}

sb_err store_channel_states(struct store *st, const char *user_id, struct sb_channel_state **out,
                            size_t *n)
{
    return store_select_all(st, SQL_CHANNEL_STATES, read_state, NULL, sizeof(**out), (void **)out,
                            n,
                            DB_ARGS(db_text(user_id), db_int(STORE_UNREAD_MAX), db_text(user_id),
                                    db_text(user_id), db_text(user_id)));
}
