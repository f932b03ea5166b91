/*
 * messages.c: channel messages. seq is the store-wide order: paging and event-stream resume
 * both use it.
 */
#include "store/messages.h"

#include "store/internal.h"
#include "store/message_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The message columns' values in SQL_MESSAGE_INSERT's order, then extra's. */
#define MESSAGE_INSERT_NARGS 14
#define MESSAGE_WITH_NARGS_MAX 8

sb_err store_message_insert_with(struct db *d, struct sb_message *m, const char *search_text,
                                 struct store_message_with *with)
{
    struct db_val vals[MESSAGE_INSERT_NARGS + MESSAGE_WITH_NARGS_MAX];
    struct db_args args = {vals, MESSAGE_INSERT_NARGS};
    struct db_stmt *s = NULL;
    char *text = NULL;
    const char *words;
    sb_err err;
    bool row = false;

    if (with && with->args.n > MESSAGE_WITH_NARGS_MAX)
        return SB_ERR_INVALID;
    if (!search_text && (err = store_message_search_text(m, &text)))
        return err;
    if (d->drv->seq_lock_sql && !d->seq_locked) {
        err = d->drv->exec(d->conn, d->drv->seq_lock_sql);
        if (err)
            goto out;
        d->seq_locked = true; /* released by the writer after the COMMIT */
    }
    words = search_text ? search_text : text;
    memcpy(vals,
           (struct db_val[MESSAGE_INSERT_NARGS]){
               db_text(m->id), db_text(m->team_id), db_text(m->channel_id), db_text(m->created),
               db_text(m->from_kind), db_text(m->from_id), db_text(m->from_name),
               db_text(m->body_type), db_text(m->body), db_text(m->summary),
               db_text(m->attachments), db_text(m->from_image[0] ? m->from_image : NULL),
               db_text(m->reply_to[0] ? m->reply_to : NULL),
               db_text(d->defer_index ? NULL : words)},
           sizeof(struct db_val[MESSAGE_INSERT_NARGS]));
    if (with) {
        memcpy(vals + MESSAGE_INSERT_NARGS, with->args.v, with->args.n * sizeof(*vals));
        args.n += with->args.n;
    }
    err = db_query(d, with ? with->sql : SQL_MESSAGE_INSERT, &s, args);
    if (err)
        goto out;
    err = db_step(d, s, &row);
    if (!err && row) {
        m->seq = db_col_int(d, s, 0);
        if (with)
            with->seq = db_col_int(d, s, 1);
    } else if (!err) {
        err = SB_ERR_IO;
    }
    /* RETURNING rows must be stepped to completion before the statement is reset. */
    while (row && db_step(d, s, &row) == SB_OK && row)
        ;
    db_done(d, s);
    if (!err && d->defer_index)
        err = store_message_index_defer(d, m->seq, words);
    if (!err)
        err = store_mentions_insert(d, m);
    if (!err)
        err = store_forward_fanout_tx(d, m, words);
    if (!err) {
        char rest[96];
        snprintf(rest, sizeof(rest), "%lld %s", (long long)m->seq, m->team_id);
        err = db_notify(d, "m", rest);
    }
out:
    free(text);
    return err;
}

sb_err store_message_insert(struct db *d, struct sb_message *m, const char *search_text)
{
    return store_message_insert_with(d, m, search_text, NULL);
}

struct message_append {
    struct sb_message *m;
    const char *text;
};

static sb_err message_append_fn(struct db *d, void *arg)
{
    struct message_append *a = arg;

    return store_message_insert(d, a->m, a->text);
}

sb_err store_message_append(struct store *st, struct sb_message *m)
{
    struct message_append a = {m, NULL};
    char *text = NULL;
    sb_err err = store_message_search_text(m, &text);

    a.text = text;
    if (!err)
        err = store_write(st, message_append_fn, &a);
    free(text);
    return err;
}

static void release_message(void *elem)
{
    store_message_free(elem);
}

static void read_message(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_message *m = elem;

    m->seq = db_col_int(d, s, 0);
    db_col_copy(d, s, 1, m->id, sizeof(m->id));
    db_col_copy(d, s, 2, m->team_id, sizeof(m->team_id));
    db_col_copy(d, s, 3, m->channel_id, sizeof(m->channel_id));
    db_col_copy(d, s, 4, m->created, sizeof(m->created));
    db_col_copy(d, s, 5, m->from_kind, sizeof(m->from_kind));
    db_col_copy(d, s, 6, m->from_id, sizeof(m->from_id));
    db_col_copy(d, s, 7, m->from_name, sizeof(m->from_name));
    db_col_copy(d, s, 8, m->body_type, sizeof(m->body_type));
    /* A failed copy leaves the field NULL; store_message_page checks body, which is NOT NULL. */
    (void)db_col_dup(d, s, 9, &m->body);
    (void)db_col_dup(d, s, 10, &m->summary);
    (void)db_col_dup(d, s, 11, &m->attachments);
    db_col_copy(d, s, 12, m->from_image, sizeof(m->from_image));
    db_col_copy(d, s, 13, m->reply_to, sizeof(m->reply_to));
    db_col_copy(d, s, 14, m->edited, sizeof(m->edited));
    db_col_copy(d, s, 15, m->deleted, sizeof(m->deleted));
}

static void drop_page(struct sb_message **out, size_t *n)
{
    store_message_free_array(*out, *n);
    *out = NULL;
    *n = 0;
}

/* A page's bodies were all copied (body is NOT NULL): SB_ERR_NOMEM when one copy failed. */
static sb_err check_page(const struct sb_message *ms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ms[i].body)
            return SB_ERR_NOMEM;
    return SB_OK;
}

sb_err store_message_row(struct db *d, struct db_stmt *s, struct sb_message *m)
{
    read_message(d, s, m);
    if (m->body)
        return SB_OK;
    store_message_free(m);
    return SB_ERR_NOMEM;
}

/* A row of a page: the message, and whether it has reactions and mentions, so that a page's
 * reactions and mentions are asked for only when one of its messages has any (most pages of a
 * connector's channel have neither: one query instead of three). */
struct page_row {
    struct sb_message m;
    bool reacted, mentioned;
};

static void read_page_row(struct db *d, struct db_stmt *s, void *elem)
{
    struct page_row *r = elem;

    read_message(d, s, &r->m);
    r->reacted = db_col_int(d, s, MESSAGE_NCOLS) != 0;
    r->mentioned = db_col_int(d, s, MESSAGE_NCOLS + 1) != 0;
}

static void release_page_row(void *elem)
{
    store_message_free(&((struct page_row *)elem)->m);
}

/* The page sql selects (SQL_MESSAGE_PAGE or _REPLIES), with its reactions and mentions. */
static sb_err read_page(struct store *st, enum db_sql sql, const char *channel_id,
                        const char *parent_id, struct db_args args, struct sb_message **out,
                        size_t *n)
{
    struct page_row *rows = NULL;
    size_t nrows = 0;
    bool reacted = false, mentioned = false;
    sb_err err = store_select_all(st, sql, read_page_row, release_page_row, sizeof(*rows),
                                  (void **)&rows, &nrows, args);

    *out = NULL;
    *n = 0;
    if (err)
        return err;
    if (nrows && !(*out = calloc(nrows, sizeof(**out)))) {
        for (size_t i = 0; i < nrows; i++)
            release_page_row(&rows[i]);
        free(rows);
        return SB_ERR_NOMEM;
    }
    for (size_t i = 0; i < nrows; i++) {
        (*out)[i] = rows[i].m; /* the heap fields move with it */
        reacted |= rows[i].reacted;
        mentioned |= rows[i].mentioned;
    }
    *n = nrows;
    free(rows);
    err = check_page(*out, *n);
    if (!err && reacted)
        err = store_message_reactions_fill(st, channel_id, parent_id, *out, *n);
    if (!err && mentioned)
        err = store_message_mentions_fill(st, channel_id, *out, *n);
    if (err)
        drop_page(out, n);
    return err;
}

sb_err store_message_page(struct store *st, const char *channel_id, int64_t before, size_t limit,
                          struct sb_message **out, size_t *n)
{
    return read_page(
        st, SQL_MESSAGE_PAGE, channel_id, NULL,
        DB_ARGS(db_text(channel_id), db_int(before > 0 ? before : INT64_MAX), db_int(limit)), out,
        n);
}

sb_err store_message_replies(struct store *st, const char *channel_id, const char *parent_id,
                             int64_t before, size_t limit, struct sb_message **out, size_t *n)
{
    return read_page(
        st, SQL_MESSAGE_REPLIES, channel_id, parent_id,
        DB_ARGS(db_text(parent_id), db_int(before > 0 ? before : INT64_MAX), db_int(limit)), out,
        n);
}

sb_err store_message_since(struct store *st, const char *user_id, int64_t after, size_t limit,
                           struct sb_message **out, size_t *n)
{
    sb_err err;

    if (!user_id)
        err =
            store_select_all(st, SQL_MESSAGE_SINCE_ALL, read_message, release_message,
                             sizeof(**out), (void **)out, n, DB_ARGS(db_int(after), db_int(limit)));
    else
        err = store_select_all(st, SQL_MESSAGE_SINCE_FOR_USER, read_message, release_message,
                               sizeof(**out), (void **)out, n,
                               DB_ARGS(db_text(user_id), db_int(after), db_int(limit)));
    /* New messages carry their mentions from the start: the live path reads them here too. */
    if (!err)
        err = store_message_mentions_fill(st, NULL, *out, *n);
    if (err && *out)
        drop_page(out, n);
    return err;
}

static void read_seq(struct db *d, struct db_stmt *s, void *elem)
{
    *(int64_t *)elem = db_col_int(d, s, 0);
}

sb_err store_message_last_seq(struct store *st, int64_t *out)
{
    *out = 0;
    return store_select_one(st, SQL_MESSAGE_LAST_SEQ, read_seq, out, DB_NO_ARGS);
}

sb_err store_message_reply_count(struct store *st, const char *parent_id, int64_t *out)
{
    *out = 0;
    return store_select_one(st, SQL_MESSAGE_REPLY_COUNT, read_seq, out,
                            DB_ARGS(db_text(parent_id)));
}

void store_message_free(struct sb_message *m)
{
    free(m->body);
    free(m->summary);
    free(m->attachments);
    free(m->card_text);
    free(m->reactions);
    free(m->mentions);
    m->body = m->summary = m->attachments = m->card_text = NULL;
    m->reactions = NULL;
    m->n_reactions = 0;
    m->mentions = NULL;
    m->n_mentions = 0;
}

void store_message_free_array(struct sb_message *ms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_message_free(&ms[i]);
    free(ms);
}

sb_err store_message_get(struct store *st, const char *id, struct sb_message *out)
{
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = store_select_one(st, SQL_MESSAGE_GET, read_message, out, DB_ARGS(db_text(id)));
    if (!err && !out->body)
        err = SB_ERR_NOMEM;
    if (!err)
        err = store_message_reactions_of(st, out);
    if (!err)
        err = store_message_mentions_of(st, out);
    if (err)
        store_message_free(out);
    return err;
}

static void read_ref(struct db *d, struct db_stmt *s, void *elem)
{
    struct store_message_ref *r = elem;

    db_col_copy(d, s, 0, r->channel_id, sizeof(r->channel_id));
    db_col_copy(d, s, 1, r->from_kind, sizeof(r->from_kind));
    db_col_copy(d, s, 2, r->from_id, sizeof(r->from_id));
    db_col_copy(d, s, 3, r->reply_to, sizeof(r->reply_to));
    db_col_copy(d, s, 4, r->deleted, sizeof(r->deleted));
}

sb_err store_message_ref(struct store *st, const char *id, struct store_message_ref *out)
{
    memset(out, 0, sizeof(*out));
    return store_select_one(st, SQL_MESSAGE_REF, read_ref, out, DB_ARGS(db_text(id)));
}

/* An edit or a (un)delete of one message, and the notification that publishes it. */
struct message_change {
    enum db_sql sql;
    const char *id, *team_id;
    struct db_args args;
    bool changed;
    const struct sb_mention *mentions; /* an edit's, which replace the message's */
    size_t n_mentions;
};

static sb_err change_fn(struct db *d, void *arg)
{
    struct message_change *mc = arg;
    int64_t changes = 0;
    char rest[96];
    sb_err err = db_run(d, &changes, mc->sql, mc->args);

    if (err || changes == 0)
        return err;
    mc->changed = true;
    /* An edit changes the words the message is found by (store/message_search.h). */
    if (mc->sql == SQL_MESSAGE_EDIT && (err = store_message_reindex_tx(d, mc->id)))
        return err;
    if (mc->sql == SQL_MESSAGE_EDIT &&
        (err = store_mentions_replace(d, mc->id, mc->mentions, mc->n_mentions)))
        return err;
    snprintf(rest, sizeof(rest), "%s %s", mc->id, mc->team_id);
    return db_notify(d, "u", rest);
}

sb_err store_message_edit(struct store *st, const char *id, const char *team_id,
                          const char *body_type, const char *body, const char *edited,
                          const struct sb_mention *mentions, size_t n_mentions)
{
    struct message_change mc = {
        SQL_MESSAGE_EDIT,
        id,
        team_id,
        DB_ARGS(db_text(body_type), db_text(body), db_text(edited), db_text(id)),
        false,
        mentions,
        n_mentions};
    sb_err err = store_write(st, change_fn, &mc);

    /* Nothing changed: the message was deleted meanwhile (or is gone). */
    return !err && !mc.changed ? SB_ERR_CONFLICT : err;
}

sb_err store_message_set_deleted(struct store *st, const char *id, const char *team_id,
                                 const char *deleted, bool *changed)
{
    /* Both built here: DB_ARGS' array lives as long as the block that spells it. */
    struct message_change del = {SQL_MESSAGE_SOFT_DELETE,
                                 id,
                                 team_id,
                                 DB_ARGS(db_text(deleted), db_text(id)),
                                 false,
                                 NULL,
                                 0};
    struct message_change undo = {
        SQL_MESSAGE_UNDELETE, id, team_id, DB_ARGS(db_text(id)), false, NULL, 0};
    struct message_change *mc = deleted ? &del : &undo;
    sb_err err = store_write(st, change_fn, mc);

    *changed = mc->changed;
    return err;
}

struct card_set {
    const char *id, *team_id, *attachments;
};

static sb_err card_set_fn(struct db *d, void *arg)
{
    struct card_set *cs = arg;
    char rest[96];
    sb_err err =
        db_run_one(d, SQL_MESSAGE_CARD_SET, DB_ARGS(db_text(cs->attachments), db_text(cs->id)));

    /* The card's words change with it (store/message_search.h). */
    if (!err)
        err = store_message_reindex_tx(d, cs->id);
    if (err)
        return err;
    snprintf(rest, sizeof(rest), "%s %s", cs->id, cs->team_id);
    return db_notify(d, "u", rest);
}

sb_err store_message_set_attachments(struct store *st, const char *id, const char *team_id,
                                     const char *attachments)
{
    struct card_set cs = {id, team_id, attachments};

    return store_write(st, card_set_fn, &cs);
}

sb_err store_message_feed(struct store *st, const char *team_id, const char *app_type,
                          int64_t before, size_t limit, struct sb_message **out, size_t *n)
{
    return store_select_all(st, SQL_MESSAGE_FEED, read_message, release_message, sizeof(**out),
                            (void **)out, n,
                            DB_ARGS(db_text(team_id), db_text(app_type),
                                    db_int(before > 0 ? before : INT64_MAX), db_int(limit)));
}
