/*
 * forwards.c: forwards and deliveries (store/forwards.h).
 */
#include "store/forwards.h"

#include "core/ids.h"
#include "model/messages.h"
#include "store/internal.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

static void read_forward(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_forward *f = elem;

    db_col_copy(d, s, 0, f->id, sizeof(f->id));
    db_col_copy(d, s, 1, f->team_id, sizeof(f->team_id));
    db_col_copy(d, s, 2, f->channel_id, sizeof(f->channel_id));
    db_col_copy(d, s, 3, f->name, sizeof(f->name));
    db_col_copy(d, s, 4, f->kind, sizeof(f->kind));
    db_col_copy(d, s, 5, f->url, sizeof(f->url));
    db_col_copy(d, s, 6, f->recipients, sizeof(f->recipients));
    f->include_people = db_col_int(d, s, 7) != 0;
    db_col_copy(d, s, 8, f->connectors, sizeof(f->connectors));
    db_col_copy(d, s, 9, f->keywords, sizeof(f->keywords));
    db_col_copy(d, s, 10, f->created_by, sizeof(f->created_by));
    db_col_copy(d, s, 11, f->created, sizeof(f->created));
    db_col_copy(d, s, 12, f->updated, sizeof(f->updated));
    db_col_copy(d, s, 13, f->colors, sizeof(f->colors));
}

static void read_delivery(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_forward_delivery *dl = elem;

    db_col_copy(d, s, 0, dl->id, sizeof(dl->id));
    db_col_copy(d, s, 1, dl->forward_id, sizeof(dl->forward_id));
    db_col_copy(d, s, 2, dl->message_id, sizeof(dl->message_id));
    db_col_copy(d, s, 3, dl->status, sizeof(dl->status));
    dl->attempts = db_col_int(d, s, 4);
    dl->http_status = db_col_int(d, s, 5);
    db_col_copy(d, s, 6, dl->error, sizeof(dl->error));
    db_col_copy(d, s, 7, dl->response, sizeof(dl->response));
    db_col_copy(d, s, 8, dl->last_attempt, sizeof(dl->last_attempt));
    dl->created_ms = db_col_int(d, s, 9);
}

struct forward_write {
    const struct sb_forward *f;
    const char *id;
    const struct sb_audit *audit;
};

/* The batch memo (db.h struct db_memo): whether this batch already found channel without
 * forwards. */
static bool memo_no_forwards(const struct db_memo *memo, const char *channel)
{
    for (size_t i = 0; memo && i < memo->n_no_forwards; i++)
        if (strcmp(memo->no_forwards[i], channel) == 0)
            return true;
    return false;
}

static void memo_remember(struct db_memo *memo, const char *channel)
{
    size_t len = strlen(channel);

    if (memo && memo->n_no_forwards < DB_MEMO_CHANNELS && len < sizeof(memo->no_forwards[0]))
        memcpy(memo->no_forwards[memo->n_no_forwards++], channel, len + 1);
}

static sb_err insert_fn(struct db *d, void *arg)
{
    const struct forward_write *w = arg;
    const struct sb_forward *f = w->f;
    sb_err err;

    /* Forwards change from here on in this batch: the memo's "none" may not hold any more. */
    if (d->memo)
        d->memo->n_no_forwards = 0;
    err = db_run(d, NULL, SQL_FORWARD_INSERT,
                 DB_ARGS(db_text(f->id), db_text(f->team_id), db_text(f->channel_id),
                         db_text(f->name), db_text(f->kind), db_text(f->url),
                         db_text(f->recipients), db_bool(f->include_people), db_text(f->connectors),
                         db_text(f->keywords), db_text(f->created_by), db_text(f->created),
                         db_text(f->updated), db_text(f->colors)));
    return err ? err : store_audit_insert_tx(d, w->audit);
}

sb_err store_forward_insert(struct store *st, const struct sb_forward *f,
                            const struct sb_audit *audit)
{
    struct forward_write w = {f, NULL, audit};

    return store_write(st, insert_fn, &w);
}

sb_err store_forward_get(struct store *st, const char *id, struct sb_forward *out)
{
    memset(out, 0, sizeof(*out));
    return store_select_one(st, SQL_FORWARD_GET, read_forward, out, DB_ARGS(db_text(id)));
}

sb_err store_forward_list(struct store *st, const char *channel_id, struct sb_forward **out,
                          size_t *n)
{
    return store_select_all(st, SQL_FORWARD_LIST, read_forward, NULL, sizeof(**out), (void **)out,
                            n, DB_ARGS(db_text(channel_id)));
}

static sb_err update_fn(struct db *d, void *arg)
{
    const struct forward_write *w = arg;
    const struct sb_forward *f = w->f;
    sb_err err;

    err =
        db_run_one(d, SQL_FORWARD_UPDATE,
                   DB_ARGS(db_text(f->name), db_text(f->url), db_text(f->recipients),
                           db_bool(f->include_people), db_text(f->connectors), db_text(f->keywords),
                           db_text(f->colors), db_text(f->updated), db_text(f->id)));
    return err ? err : store_audit_insert_tx(d, w->audit);
}

sb_err store_forward_update(struct store *st, const struct sb_forward *f,
                            const struct sb_audit *audit)
{
    struct forward_write w = {f, NULL, audit};

    return store_write(st, update_fn, &w);
}

static sb_err delete_fn(struct db *d, void *arg)
{
    const struct forward_write *w = arg;
    sb_err err = db_run_one(d, SQL_FORWARD_DELETE, DB_ARGS(db_text(w->id)));

    return err ? err : store_audit_insert_tx(d, w->audit);
}

sb_err store_forward_delete(struct store *st, const char *id, const struct sb_audit *audit)
{
    struct forward_write w = {NULL, id, audit};

    return store_write(st, delete_fn, &w);
}

sb_err store_forward_deliveries(struct store *st, const char *forward_id, size_t top,
                                struct sb_forward_delivery **out, size_t *n)
{
    return store_select_all(st, SQL_FORWARD_DELIVERIES, read_delivery, NULL, sizeof(**out),
                            (void **)out, n, DB_ARGS(db_text(forward_id), db_int((int64_t)top)));
}

sb_err store_forward_delivery_get(struct store *st, const char *id, struct sb_forward_delivery *out)
{
    memset(out, 0, sizeof(*out));
    return store_select_one(st, SQL_FORWARD_DELIVERY_GET, read_delivery, out, DB_ARGS(db_text(id)));
}

static sb_err record_fn(struct db *d, void *arg)
{
    const struct sb_forward_delivery *dl = arg;

    return db_run_one(d, SQL_FORWARD_DELIVERY_RECORD,
                      DB_ARGS(db_text(dl->status), db_int(dl->attempts), db_int(dl->http_status),
                              db_text(dl->error), db_text(dl->response), db_text(dl->last_attempt),
                              db_text(dl->id)));
}

sb_err store_forward_delivery_record(struct store *st, const struct sb_forward_delivery *dl)
{
    return store_write(st, record_fn, (void *)dl);
}

struct retry {
    const char *id;
    const struct sb_outbox_job *job;
    const char *payload;
};

static sb_err retry_fn(struct db *d, void *arg)
{
    const struct retry *r = arg;
    sb_err err = db_run_one(d, SQL_FORWARD_DELIVERY_PENDING, DB_ARGS(db_text(r->id)));

    return err ? err : store_outbox_insert_tx(d, r->job, r->payload);
}

sb_err store_forward_delivery_retry(struct store *st, const char *id,
                                    const struct sb_outbox_job *job, const char *payload)
{
    struct retry r = {id, job, payload};

    return store_write(st, retry_fn, &r);
}

/* --- fan-out with the message ------------------------------------------------------------ */

struct candidate {
    sb_id id;
    bool people;
    char connectors[SB_FORWARD_LIST_MAX];
    char keywords[SB_FORWARD_LIST_MAX];
    char colors[SB_FORWARD_LIST_MAX];
};

/* Most forwards one channel's message is delivered to: more are refused by the service. */
#define FANOUT_MAX 32

/* Case-insensitive (ASCII) substring test. */
static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    if (!n)
        return true;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* A themeColor as 6 lower-case hex digits ("" when it is not one): "#FF0000", "ff0000". */
static void norm_color(const char *s, char out[7])
{
    size_t n;

    out[0] = '\0';
    if (!s)
        return;
    if (*s == '#')
        s++;
    n = strlen(s);
    if (n != 6 || strspn(s, "0123456789abcdefABCDEF") != 6)
        return;
    for (size_t i = 0; i < 6; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[6] = '\0';
}

/* Whether one of m's MessageCards has a themeColor of colors (a JSON array). Attachments are
 * Graph's shape: content is the card's JSON as a string. */
static bool color_matches(const char *colors, const struct sb_message *m)
{
    json_t *want = json_loads(colors, 0, NULL), *atts, *a, *w;
    size_t i, k;
    bool hit = false;

    atts = m->attachments ? json_loads(m->attachments, 0, NULL) : NULL;
    json_array_foreach(atts, i, a)
    {
        const char *content = json_string_value(json_object_get(a, "content"));
        json_t *card = content ? json_loads(content, 0, NULL) : NULL;
        char have[7];

        norm_color(json_string_value(json_object_get(card, "themeColor")), have);
        json_decref(card);
        if (!have[0])
            continue;
        json_array_foreach(want, k, w)
        {
            char c[7];

            norm_color(json_string_value(w), c);
            if (c[0] && strcmp(c, have) == 0)
                hit = true;
        }
    }
    json_decref(atts);
    json_decref(want);
    return hit;
}

static bool wants(const struct candidate *c, const struct sb_message *m, const char *text)
{
    json_t *kw, *k;
    size_t i;
    bool any = false, hit = false;

    if (strcmp(m->from_kind, "user") == 0) {
        if (!c->people)
            return false;
    } else if (strcmp(c->connectors, "*") != 0) {
        char quoted[SB_ID_LEN + 3];

        snprintf(quoted, sizeof(quoted), "\"%s\"", m->from_id);
        if (!strstr(c->connectors, quoted))
            return false;
    }
    kw = json_loads(c->keywords, 0, NULL);
    json_array_foreach(kw, i, k)
    {
        const char *s = json_string_value(k);

        if (!s || !*s)
            continue;
        any = true;
        if ((text && contains_nocase(text, s)) || (m->body && contains_nocase(m->body, s)))
            hit = true;
    }
    json_decref(kw);
    if (any && !hit)
        return false;
    return strcmp(c->colors, "[]") == 0 || !c->colors[0] || color_matches(c->colors, m);
}

/* A fresh GUID: the store makes the delivery's id itself, inside the message's transaction. */
static void new_id(sb_id out)
{
    unsigned char b[16];
    char hex[33];

    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
        /* getrandom does not fail for 16 bytes once the pool is ready; never reached. */
        memset(b, 0, sizeof(b));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    sb_hex(b, sizeof(b), hex);
    snprintf(out, SB_ID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

sb_err store_forward_fanout_tx(struct db *d, const struct sb_message *m, const char *search_text)
{
    struct candidate *cs = NULL;
    struct db_stmt *s = NULL;
    size_t n = 0;
    bool row = false;
    int64_t now = 0;
    sb_err err;

    if (memo_no_forwards(d->memo, m->channel_id))
        return SB_OK;
    err = db_query(d, SQL_FORWARD_OF_CHANNEL, &s, DB_ARGS(db_text(m->channel_id)));
    if (err)
        return err;
    /* Read every row before writing: a driver may not run a statement while another steps. */
    while ((err = db_step(d, s, &row)) == SB_OK && row) {
        struct candidate *c;

        if (n == FANOUT_MAX)
            continue;
        if (!cs && !(cs = calloc(FANOUT_MAX, sizeof(*cs)))) {
            err = SB_ERR_NOMEM;
            break;
        }
        c = &cs[n++];
        db_col_copy(d, s, 0, c->id, sizeof(c->id));
        c->people = db_col_int(d, s, 1) != 0;
        db_col_copy(d, s, 2, c->connectors, sizeof(c->connectors));
        db_col_copy(d, s, 3, c->keywords, sizeof(c->keywords));
        db_col_copy(d, s, 4, c->colors, sizeof(c->colors));
    }
    db_done(d, s);
    if (!err && !n)
        memo_remember(d->memo, m->channel_id);
    if (err || !n)
        goto out;
    if (sb_time_parse(m->created, &now) != SB_OK)
        now = 0;
    for (size_t i = 0; i < n && !err; i++) {
        struct sb_outbox_job job;
        char payload[64];

        if (!wants(&cs[i], m, search_text))
            continue;
        memset(&job, 0, sizeof(job));
        new_id(job.id);
        snprintf(job.kind, sizeof(job.kind), "%s", STORE_FORWARD_JOB_KIND);
        job.created_ms = job.next_at_ms = now;
        snprintf(payload, sizeof(payload), "{\"delivery\":\"%s\"}", job.id);
        err = db_run(d, NULL, SQL_FORWARD_DELIVERY_INSERT,
                     DB_ARGS(db_text(job.id), db_text(cs[i].id), db_text(m->id), db_int(now)));
        if (!err)
            err = store_outbox_insert_tx(d, &job, payload);
    }
out:
    free(cs);
    return err;
}
