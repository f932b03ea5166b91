/*
 * message_search.c: the search text of messages and the search over it
 * (store/message_search.h).
 *
 * The text is computed here, where every message is written, rather than by each of the
 * services that post messages (people, webhooks, service connectors, registrations) and
 * change cards (card actions): none of them can forget it.
 */
#include "store/message_search.h"

#include "core/buf.h"
#include "core/cardtext.h"
#include "core/utf8.h"
#include "store/internal.h"
#include "store/messages.h"
#include "store/sql.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static sb_err put_piece(struct sb_buf *b, const char *s, size_t n)
{
    if (!n || b->len >= STORE_SEARCH_TEXT_MAX)
        return SB_OK;
    if (b->len && sb_buf_append(b, "\n", 1))
        return SB_ERR_NOMEM;
    return sb_buf_append(b, s, n);
}

static const struct {
    const char *name;
    char c;
} entities[] = {{"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},  {"&quot;", '"'},
                {"&#39;", '\''}, {"&apos;", '\''}, {"&nbsp;", ' '}};

/* Tags after which the text shown starts a new line (every other tag is inline: the words
 * around <strong> or <at> run on). */
static const char *const block_tags[] = {"p",  "div",        "br",  "li", "ul",    "ol", "tr",
                                         "td", "th",         "h1",  "h2", "h3",    "h4", "h5",
                                         "h6", "blockquote", "pre", "hr", "table", NULL};

static bool is_block_tag(const char *tag)
{
    size_t n;

    tag += *tag == '/';
    n = strcspn(tag, " \t\r\n/>");
    for (size_t i = 0; block_tags[i]; i++)
        if (strlen(block_tags[i]) == n && !strncasecmp(tag, block_tags[i], n))
            return true;
    return false;
}

/* Appends c, collapsing runs of white space into one space and dropping it at the start. */
static sb_err put_char(struct sb_buf *t, char c)
{
    bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';

    if (space && (!t->len || t->data[t->len - 1] == ' '))
        return SB_OK;
    return sb_buf_append(t, space ? " " : &c, 1);
}

/* HTML as the words it shows: inline tags vanish, block tags separate, the common entities
 * become their character, white space is collapsed. */
static sb_err put_html(struct sb_buf *b, const char *html)
{
    struct sb_buf t = {0};
    sb_err err = SB_OK;

    for (const char *p = html; !err && *p;) {
        size_t k = 0;

        if (*p == '<') {
            const char *end = strchr(p, '>');

            if (is_block_tag(p + 1))
                err = put_char(&t, ' ');
            p = end ? end + 1 : p + strlen(p);
            continue;
        }
        if (*p == '&')
            for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
                if (!strncmp(p, entities[k].name, strlen(entities[k].name)))
                    break;
        if (*p == '&' && k < sizeof(entities) / sizeof(entities[0])) {
            err = put_char(&t, entities[k].c);
            p += strlen(entities[k].name);
        } else {
            err = put_char(&t, *p++);
        }
    }
    while (!err && t.len && t.data[t.len - 1] == ' ')
        t.data[--t.len] = '\0';
    if (!err && t.len)
        err = put_piece(b, t.data, t.len);
    sb_buf_free(&t);
    return err;
}

static sb_err put_cards(struct sb_buf *b, const char *attachments)
{
    json_t *all = json_loads(attachments, 0, NULL), *a;
    size_t i;
    sb_err err = SB_OK;

    json_array_foreach(all, i, a)
    {
        json_t *content = json_object_get(a, "content"), *card = NULL;

        if (json_is_string(content))
            card = json_loads(json_string_value(content), 0, NULL);
        err = sb_card_text_append(b, card ? card : content, STORE_SEARCH_TEXT_MAX);
        json_decref(card);
        if (err)
            break;
    }
    json_decref(all);
    return err;
}

sb_err store_message_search_text(const struct sb_message *m, char **out)
{
    struct sb_buf b = {0};
    sb_err err = SB_OK;

    *out = NULL;
    if (m->body && !strcmp(m->body_type, "html"))
        err = put_html(&b, m->body);
    else if (m->body)
        err = put_piece(&b, m->body, strlen(m->body));
    if (!err && m->summary)
        err = put_piece(&b, m->summary, strlen(m->summary));
    /* The cards' text as the service that built them gave it, else read from the stored
     * attachments (two JSON parses: the array, then each card's string). */
    if (!err && m->card_text)
        err = put_piece(&b, m->card_text, strlen(m->card_text));
    else if (!err && m->attachments)
        err = put_cards(&b, m->attachments);
    if (!err && !b.data)
        err = sb_buf_append(&b, "", 0);
    if (err) {
        sb_buf_free(&b);
        return err;
    }
    b.data[sb_utf8_prefix_bytes(b.data, STORE_SEARCH_TEXT_MAX)] = '\0';
    sb_utf8_scrub(b.data);
    *out = sb_buf_take(&b);
    return SB_OK;
}

/* Reads the columns the text is made of (seq, body_type, body, summary, attachments). */
static sb_err read_source(struct db *d, struct db_stmt *s, struct sb_message *m)
{
    sb_err err;

    memset(m, 0, sizeof(*m));
    m->seq = db_col_int(d, s, 0);
    db_col_copy(d, s, 1, m->body_type, sizeof(m->body_type));
    if ((err = db_col_dup(d, s, 2, &m->body)) || (err = db_col_dup(d, s, 3, &m->summary)) ||
        (err = db_col_dup(d, s, 4, &m->attachments)))
        store_message_free(m);
    return err;
}

static sb_err set_text(struct db *d, const struct sb_message *m)
{
    char *text = NULL;
    sb_err err = store_message_search_text(m, &text);

    if (!err)
        err = db_run(d, NULL, SQL_MESSAGE_SEARCH_SET, DB_ARGS(db_text(text), db_int(m->seq)));
    free(text);
    return err;
}

sb_err store_message_reindex_tx(struct db *d, const char *id)
{
    struct sb_message m = {0};
    struct db_stmt *s = NULL;
    bool row = false;
    sb_err err = db_query(d, SQL_MESSAGE_SEARCH_SOURCE, &s, DB_ARGS(db_text(id)));

    if (!err && !(err = db_step(d, s, &row)) && !row)
        err = SB_ERR_NOT_FOUND;
    if (!err)
        err = read_source(d, s, &m);
    db_done(d, s);
    if (!err)
        err = set_text(d, &m);
    store_message_free(&m);
    return err;
}

sb_err store_message_index_defer(struct db *d, int64_t seq, const char *text)
{
    sb_err err = db_run(d, NULL, SQL_MESSAGE_INDEX_DEFER, DB_ARGS(db_int(seq), db_text(text)));

    if (!err)
        d->index_pending = true;
    return err;
}

sb_err store_message_index_flush(struct db *d)
{
    sb_err err;

    if (!d->index_pending)
        return SB_OK;
    err = db_run(d, NULL, SQL_MESSAGE_INDEX_FLUSH, DB_NO_ARGS);
    if (!err)
        err = db_run(d, NULL, SQL_MESSAGE_INDEX_CLEAR, DB_NO_ARGS);
    if (!err)
        d->index_pending = false;
    return err;
}

struct backfill {
    int64_t done, batch;
};

static sb_err backfill_fn(struct db *d, void *arg)
{
    struct backfill *bf = arg;
    struct sb_message ms[STORE_PRUNE_BATCH];
    struct db_stmt *s = NULL;
    size_t n = 0;
    bool row = false;
    sb_err err = db_query(d, SQL_MESSAGE_SEARCH_PENDING, &s, DB_ARGS(db_int(STORE_PRUNE_BATCH)));

    /* Read the batch first: the updates change the rows the query walks. */
    while (!err && n < STORE_PRUNE_BATCH && !(err = db_step(d, s, &row)) && row)
        if (!(err = read_source(d, s, &ms[n])))
            n++;
    db_done(d, s);
    for (size_t i = 0; !err && i < n; i++)
        err = set_text(d, &ms[i]);
    for (size_t i = 0; i < n; i++)
        store_message_free(&ms[i]);
    bf->batch = err ? 0 : (int64_t)n;
    return err;
}

sb_err store_message_index_backfill(struct store *st, int64_t *done)
{
    struct backfill bf = {0, 0};
    sb_err err;

    do {
        if ((err = store_write(st, backfill_fn, &bf)))
            break;
        bf.done += bf.batch;
    } while (bf.batch == STORE_PRUNE_BATCH);
    if (done)
        *done = bf.done;
    return err;
}

/* The words as the driver's query text: FTS5 phrases ("a" "b": every word must occur, none is
 * an operator), or plain words for plainto_tsquery. Words hold no quote (core/words.h), but
 * doubling one keeps the phrase a phrase whatever the caller passes. */
static sb_err query_text(bool sqlite, const struct store_message_query *q, char **out)
{
    struct sb_buf b = {0};
    sb_err err = SB_OK;

    for (size_t i = 0; !err && i < q->nterms; i++) {
        if (i)
            err = sb_buf_append(&b, " ", 1);
        if (!err && sqlite)
            err = sb_buf_append(&b, "\"", 1);
        for (const char *c = q->terms[i]; !err && *c; c++)
            err = sqlite && *c == '"' ? sb_buf_append(&b, "\"\"", 2) : sb_buf_append(&b, c, 1);
        if (!err && sqlite)
            err = sb_buf_append(&b, "\"", 1);
    }
    if (!err && !b.data)
        err = sb_buf_append(&b, "", 0);
    if (err) {
        sb_buf_free(&b);
        return err;
    }
    *out = sb_buf_take(&b);
    return SB_OK;
}

/* Runs the search statement id. On PostgreSQL it is prepared for this one use: a named
 * statement switches to a generic plan after five runs, and the generic plan cannot know how
 * common the words are. It took a bitmap of every match (700,000 TIDs, 140 ms for a word in
 * most messages) where walking the newest messages stops after a page, and walked where a
 * rare word wants the bitmap. Planned with the words, the planner reads their frequencies
 * from the tsvector's statistics and picks per query; the cost is a parse and a plan,
 * about 0.2 ms. SQLite's FTS5 walks its index the same way whatever the words: named. */
static sb_err search_query(struct db *d, enum db_sql id, struct db_stmt **s, struct db_args args)
{
    if (db_is_sqlite(d))
        return db_query(d, id, s, args);
    return db_query_text(d, db_sql_table[id], s, args);
}

void store_message_hit_free_array(struct sb_message_hit *h, size_t n)
{
    for (size_t i = 0; h && i < n; i++) {
        store_message_free(&h[i].m);
        free(h[i].text);
    }
    free(h);
}

sb_err store_message_search(struct store *st, const struct store_message_query *q,
                            struct sb_message_hit **out, size_t *n, int64_t *total)
{
    struct sb_message_hit *v = NULL;
    size_t len = 0, cap = 0;
    struct db_stmt *s = NULL;
    char *text = NULL;
    struct db d;
    const char *user = q->user_id ? q->user_id : "";
    int64_t all = q->user_id ? 0 : 1;
    int64_t count_max = q->count_max > q->from + q->size ? q->count_max : q->from + q->size + 1;
    bool row = false, sqlite;
    sb_err err;

    *out = NULL;
    *n = 0;
    *total = 0;
    if ((err = store_read_begin(st, &d)))
        return err;
    sqlite = db_is_sqlite(&d);
    if ((err = query_text(sqlite, q, &text)))
        goto out;
    /* The count, then the page (a message stored in between may be in one and not the other:
     * both are answers of a moment). */
    err = search_query(&d,
                       sqlite ? SQL_MESSAGE_SEARCH_COUNT_SQLITE : SQL_MESSAGE_SEARCH_COUNT_POSTGRES,
                       &s, DB_ARGS(db_text(text), db_int(all), db_text(user), db_int(count_max)));
    if (!err && !(err = db_step(&d, s, &row)) && row)
        *total = db_col_int(&d, s, 0);
    db_done(&d, s);
    s = NULL;
    if (err)
        goto out;
    err = search_query(
        &d, sqlite ? SQL_MESSAGE_SEARCH_SQLITE : SQL_MESSAGE_SEARCH_POSTGRES, &s,
        DB_ARGS(db_text(text), db_int(all), db_text(user), db_int(q->size), db_int(q->from)));
    while (!err && !(err = db_step(&d, s, &row)) && row) {
        if ((err = store_grow((void **)&v, &cap, len, sizeof(*v))))
            break;
        memset(&v[len], 0, sizeof(v[len]));
        if ((err = store_message_row(&d, s, &v[len].m)))
            break;
        if ((err = db_col_dup(&d, s, MESSAGE_NCOLS, &v[len].text))) {
            store_message_free(&v[len].m);
            break;
        }
        len++;
    }
out:
    db_done(&d, s);
    store_read_end(st, &d);
    free(text);
    /* A hit shows the message as GET .../messages/{id} does, its reactions and mentions
     * included. */
    for (size_t i = 0; !err && i < len; i++) {
        err = store_message_reactions_of(st, &v[i].m);
        if (!err)
            err = store_message_mentions_of(st, &v[i].m);
    }
    if (err) {
        store_message_hit_free_array(v, len);
        return err;
    }
    *out = v;
    *n = len;
    return SB_OK;
}
