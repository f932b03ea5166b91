/*
 * mentions.c: the mentions of messages (<at id="N"> tags of an html body naming a member or
 * the channel), written with their message in its transaction and read with it: one message
 * (store_message_get, search hits) or a whole page in one query over the page's seq range,
 * never one query per message of a page. Who may be mentioned is the service's rule
 * (teams/mentions.c); the store keeps what it was given.
 */
#include "store/messages.h"

#include "store/internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

sb_err store_mentions_insert(struct db *d, const struct sb_message *m)
{
    sb_err err = SB_OK;

    for (size_t i = 0; !err && i < m->n_mentions; i++) {
        const struct sb_mention *x = &m->mentions[i];

        err = db_run(d, NULL, SQL_MENTION_INSERT,
                     DB_ARGS(db_text(m->id), db_int(x->id), db_text(m->channel_id), db_int(m->seq),
                             db_text(x->channel ? "channel" : "user"), db_text(x->target),
                             db_text(x->text), db_text(x->name)));
    }
    return err;
}

sb_err store_mentions_replace(struct db *d, const char *message_id, const struct sb_mention *ms,
                              size_t n)
{
    sb_err err = db_run(d, NULL, SQL_MENTION_DELETE_OF, DB_ARGS(db_text(message_id)));

    for (size_t i = 0; !err && i < n; i++)
        err = db_run(d, NULL, SQL_MENTION_INSERT_FOR,
                     DB_ARGS(db_int(ms[i].id), db_text(ms[i].channel ? "channel" : "user"),
                             db_text(ms[i].target), db_text(ms[i].text), db_text(ms[i].name),
                             db_text(message_id)));
    return err;
}

/* A row of the mention queries: the message it belongs to and the mention. */
struct mention_row {
    sb_id message_id;
    struct sb_mention x;
};

static void read_row(struct db *d, struct db_stmt *s, void *elem)
{
    struct mention_row *row = elem;
    char kind[16];

    db_col_copy(d, s, 0, row->message_id, sizeof(row->message_id));
    row->x.id = db_col_int(d, s, 1);
    db_col_copy(d, s, 2, kind, sizeof(kind));
    row->x.channel = strcmp(kind, "channel") == 0;
    db_col_copy(d, s, 3, row->x.target, sizeof(row->x.target));
    db_col_copy(d, s, 4, row->x.text, sizeof(row->x.text));
    db_col_copy(d, s, 5, row->x.name, sizeof(row->x.name));
}

/* Hands each message of ms its rows (in the rows' order); rows of other messages are left. */
static sb_err distribute(const struct mention_row *rows, size_t nrows, struct sb_message *ms,
                         size_t n)
{
    sb_err err = SB_OK;

    for (size_t i = 0; !err && i < n; i++) {
        free(ms[i].mentions);
        err = store_rows_of(rows, nrows, sizeof(*rows), offsetof(struct mention_row, x),
                            sizeof(rows->x), ms[i].id, (void **)&ms[i].mentions, &ms[i].n_mentions);
    }
    return err;
}

sb_err store_message_mentions_of(struct store *st, struct sb_message *m)
{
    struct mention_row *rows = NULL;
    size_t nrows = 0;
    sb_err err = store_select_all(st, SQL_MENTION_OF_MESSAGE, read_row, NULL, sizeof(*rows),
                                  (void **)&rows, &nrows, DB_ARGS(db_text(m->id)));

    if (!err)
        err = distribute(rows, nrows, m, 1);
    free(rows);
    return err;
}

sb_err store_message_mentions_fill(struct store *st, const char *channel_id, struct sb_message *ms,
                                   size_t n)
{
    struct mention_row *rows = NULL;
    size_t nrows = 0;
    int64_t lo, hi;
    sb_err err;

    if (n == 0)
        return SB_OK;
    store_seq_range(ms, n, &lo, &hi);
    if (channel_id)
        err = store_select_all(st, SQL_MENTION_OF_CHANNEL_RANGE, read_row, NULL, sizeof(*rows),
                               (void **)&rows, &nrows,
                               DB_ARGS(db_text(channel_id), db_int(lo), db_int(hi)));
    else
        err = store_select_all(st, SQL_MENTION_OF_RANGE, read_row, NULL, sizeof(*rows),
                               (void **)&rows, &nrows, DB_ARGS(db_int(lo), db_int(hi)));
    if (!err)
        err = distribute(rows, nrows, ms, n);
    free(rows);
    return err;
}
