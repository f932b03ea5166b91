/*
 * reactions.c: people's reactions to messages, one per person per message. A message's
 * reactions are read with it (store_message_get) or for a whole page in one query over the
 * page's seq range (store_message_reactions_fill), never one query per message of a page.
 */
#include "store/messages.h"

#include "store/internal.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct reaction_put {
    const char *message_id, *team_id, *user_id, *type, *created;
    bool set;
};

static sb_err put_fn(struct db *d, void *arg)
{
    struct reaction_put *p = arg;
    int64_t changes = 0;
    char rest[96];
    sb_err err;

    if (p->set)
        err = db_run(d, &changes, SQL_REACTION_SET,
                     DB_ARGS(db_text(p->message_id), db_text(p->user_id), db_text(p->type),
                             db_text(p->created)));
    else
        err = db_run(d, &changes, SQL_REACTION_UNSET,
                     DB_ARGS(db_text(p->message_id), db_text(p->user_id), db_text(p->type)));
    if (err || changes == 0)
        return err;
    snprintf(rest, sizeof(rest), "%s %s", p->message_id, p->team_id);
    return db_notify(d, "u", rest);
}

sb_err store_reaction_put(struct store *st, const char *message_id, const char *team_id,
                          const char *user_id, const char *type, const char *created, bool set)
{
    struct reaction_put p = {message_id, team_id, user_id, type, created, set};

    return store_write(st, put_fn, &p);
}

/* A row of the reaction queries: the message it belongs to and the reaction. */
struct reaction_row {
    sb_id message_id;
    struct sb_reaction r;
};

static void read_row(struct db *d, struct db_stmt *s, void *elem)
{
    struct reaction_row *row = elem;

    db_col_copy(d, s, 0, row->message_id, sizeof(row->message_id));
    db_col_copy(d, s, 1, row->r.type, sizeof(row->r.type));
    db_col_copy(d, s, 2, row->r.user_id, sizeof(row->r.user_id));
    db_col_copy(d, s, 3, row->r.user_name, sizeof(row->r.user_name));
    db_col_copy(d, s, 4, row->r.created, sizeof(row->r.created));
}

/* Hands each message of ms its rows (in the rows' order); rows of other messages are left. */
static sb_err distribute(const struct reaction_row *rows, size_t nrows, struct sb_message *ms,
                         size_t n)
{
    sb_err err = SB_OK;

    for (size_t i = 0; !err && i < n; i++) {
        free(ms[i].reactions);
        err =
            store_rows_of(rows, nrows, sizeof(*rows), offsetof(struct reaction_row, r),
                          sizeof(rows->r), ms[i].id, (void **)&ms[i].reactions, &ms[i].n_reactions);
    }
    return err;
}

sb_err store_message_reactions_of(struct store *st, struct sb_message *m)
{
    struct reaction_row *rows = NULL;
    size_t nrows = 0;
    sb_err err = store_select_all(st, SQL_REACTION_OF_MESSAGE, read_row, NULL, sizeof(*rows),
                                  (void **)&rows, &nrows, DB_ARGS(db_text(m->id)));

    if (!err)
        err = distribute(rows, nrows, m, 1);
    free(rows);
    return err;
}

sb_err store_message_reactions_fill(struct store *st, const char *channel_id, const char *parent_id,
                                    struct sb_message *ms, size_t n)
{
    struct reaction_row *rows = NULL;
    size_t nrows = 0;
    int64_t lo, hi;
    sb_err err;

    if (n == 0)
        return SB_OK;
    store_seq_range(ms, n, &lo, &hi);
    if (parent_id)
        err = store_select_all(st, SQL_REACTION_OF_REPLIES_RANGE, read_row, NULL, sizeof(*rows),
                               (void **)&rows, &nrows,
                               DB_ARGS(db_text(parent_id), db_int(lo), db_int(hi)));
    else if (channel_id)
        err = store_select_all(st, SQL_REACTION_OF_CHANNEL_RANGE, read_row, NULL, sizeof(*rows),
                               (void **)&rows, &nrows,
                               DB_ARGS(db_text(channel_id), db_int(lo), db_int(hi)));
    else
        err = store_select_all(st, SQL_REACTION_OF_RANGE, read_row, NULL, sizeof(*rows),
                               (void **)&rows, &nrows, DB_ARGS(db_int(lo), db_int(hi)));
    if (!err)
        err = distribute(rows, nrows, ms, n);
    free(rows);
    return err;
}
