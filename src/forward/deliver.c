/*
 * deliver.c: the outbox job of a forward's delivery (forward.h): the message's cards in the
 * destination's format, sent, the outcome recorded on the delivery.
 */
#include "forward/forward.h"

#include "cards/translate.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/log.h"
#include "net/fetch.h"
#include "net/smtp.h"
#include "org/org.h"
#include "outbox/outbox.h"
#include "store/forwards.h"
#include "store/messages.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BACKOFF_MAX_MS (30LL * 60 * 1000)
#define RETRY_AFTER_MAX_MS (60LL * 60 * 1000)
#define SEND_TIMEOUT_MS 10000L
/* Runs of one delivery's job: more than 24 hours of backoff needs; the window decides. */
#define FORWARD_MAX_RUNS 200

/* What one attempt came to. */
struct attempt {
    outbox_result result;
    int64_t retry_in_ms; /* 0: the backoff */
    long http_status;
    char error[512];
    char response[512];
};

static int64_t backoff_ms(int attempt)
{
    int64_t ms = 1000;

    for (int i = 1; i < attempt && ms < BACKOFF_MAX_MS; i++)
        ms *= 2;
    return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}

/* Retry-After in seconds (the HTTP-date form falls back to the backoff). */
static int64_t retry_after_ms(const struct fetch_response *r)
{
    char v[64];
    char *end;
    long long s;

    if (!fetch_header(r, "Retry-After", v, sizeof(v)) || !isdigit((unsigned char)v[0]))
        return 0;
    s = strtoll(v, &end, 10);
    if (*end || s < 0)
        return 0;
    return s * 1000 > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : (s ? s * 1000 : 1);
}

static void post_json(struct sb_ctx *ctx, const char *url, json_t *body, struct attempt *a)
{
    static const char *const headers[] = {"Content-Type: application/json", NULL};
    struct fetch_policy pol = {0};
    struct fetch_response resp = {0};
    struct fetch_request rq = {0};
    struct sb_diag diag = {0};
    char *text = NULL;
    sb_err err = sb_json_dump(body, &text);

    if (!err)
        err = org_fetch_policy(ctx, &pol);
    if (err) {
        a->result = OUTBOX_RETRY;
        snprintf(a->error, sizeof(a->error), "cannot prepare the request");
        goto out;
    }
    rq.method = "POST";
    rq.url = url;
    rq.headers = headers;
    rq.body = text;
    rq.body_len = strlen(text);
    rq.timeout_ms = SEND_TIMEOUT_MS;
    rq.max_response = 64 * 1024;
    err = fetch_do(&pol, &rq, &resp, &diag);
    if (err == SB_ERR_FORBIDDEN) {
        /* The outbound policy refuses the destination: trying again changes nothing. */
        a->result = OUTBOX_FAIL;
        snprintf(a->error, sizeof(a->error), "%s", diag.message);
    } else if (err) {
        a->result = OUTBOX_RETRY;
        snprintf(a->error, sizeof(a->error), "%s", diag.message[0] ? diag.message : "failed");
    } else {
        a->http_status = resp.status;
        snprintf(a->response, sizeof(a->response), "%s", resp.body ? resp.body : "");
        if (resp.status >= 200 && resp.status < 300) {
            a->result = OUTBOX_DONE;
        } else if (resp.status == 429 || resp.status == 408 || resp.status >= 500) {
            a->result = OUTBOX_RETRY;
            a->retry_in_ms = retry_after_ms(&resp);
            snprintf(a->error, sizeof(a->error), "the destination answered %ld", resp.status);
        } else {
            a->result = OUTBOX_FAIL;
            snprintf(a->error, sizeof(a->error), "the destination answered %ld", resp.status);
        }
    }
out:
    fetch_response_free(&resp);
    org_fetch_policy_free(&pol);
    free(text);
}

/* Quoted-printable (RFC 2045) of s into b, lines of at most 76 characters. */
static sb_err put_qp(struct sb_buf *b, const char *s)
{
    size_t col = 0;
    sb_err err = SB_OK;

    for (const unsigned char *p = (const unsigned char *)s; *p && !err; p++) {
        char enc[4];
        size_t n;

        if (*p == '\n') {
            err = sb_buf_puts(b, "\r\n");
            col = 0;
            continue;
        }
        if (*p == '\r')
            continue;
        if ((*p >= 33 && *p <= 126 && *p != '=') ||
            (*p == ' ' && p[1] && p[1] != '\n' && p[1] != '\r')) {
            enc[0] = (char)*p;
            enc[1] = '\0';
        } else {
            snprintf(enc, sizeof(enc), "=%02X", *p);
        }
        n = strlen(enc);
        if (col + n > 75) {
            err = sb_buf_puts(b, "=\r\n");
            col = 0;
        }
        if (!err)
            err = sb_buf_puts(b, enc);
        col += n;
    }
    return err;
}

/* An RFC 2047 encoded word when s is not plain ASCII. */
static sb_err put_header_text(struct sb_buf *b, const char *s)
{
    bool ascii = true;
    sb_err err = SB_OK;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 127 || *p < 32)
            ascii = false;
    if (ascii)
        return sb_buf_puts(b, s);
    err = sb_buf_puts(b, "=?UTF-8?Q?");
    for (const unsigned char *p = (const unsigned char *)s; *p && !err; p++) {
        if (isalnum(*p))
            err = sb_buf_append(b, p, 1);
        else if (*p == ' ')
            err = sb_buf_puts(b, "_");
        else if (*p >= 32)
            err = sb_buf_printf(b, "=%02X", *p);
    }
    return err ? err : sb_buf_puts(b, "?=");
}

static void send_mail(struct sb_ctx *ctx, const struct sb_forward *f, const struct sb_message *m,
                      json_t *cards, struct attempt *a)
{
    json_t *to = json_loads(f->recipients, 0, NULL), *v;
    const char *rcpt[FORWARD_MAX_RECIPIENTS];
    struct sb_buf msg = {0};
    struct sb_diag diag = {0};
    char *html = NULL, *text = NULL, boundary[40], mid[SB_ID_LEN + 1], date[64];
    size_t n = 0, i;
    long code = 0;
    time_t now = (time_t)(sb_now_ms(ctx) / 1000);
    struct tm tm;
    sb_err err;

    json_array_foreach(to, i, v)
    {
        if (n < FORWARD_MAX_RECIPIENTS && json_is_string(v))
            rcpt[n++] = json_string_value(v);
    }
    err = card_to_email(cards, &html, &text);
    sb_id_new(ctx, mid);
    snprintf(boundary, sizeof(boundary), "sb-%.32s", mid);
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    if (!err)
        err = sb_buf_printf(&msg, "From: %s\r\nTo: ", ctx->cfg->smtp_from);
    for (i = 0; i < n && !err; i++)
        err = sb_buf_printf(&msg, "%s%s", i ? ", " : "", rcpt[i]);
    if (!err)
        err = sb_buf_printf(&msg, "\r\nDate: %s\r\nMessage-ID: <%s@switchboard>\r\nSubject: ", date,
                            mid);
    if (!err)
        err = put_header_text(&msg, m->summary && *m->summary           ? m->summary
                                    : strcmp(m->from_kind, "user") == 0 ? m->from_name
                                                                        : f->name);
    if (!err)
        err = sb_buf_printf(&msg,
                            "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; "
                            "boundary=\"%s\"\r\n\r\n--%s\r\nContent-Type: text/plain; "
                            "charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
                            boundary, boundary);
    if (!err)
        err = put_qp(&msg, text);
    if (!err)
        err = sb_buf_printf(&msg,
                            "\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
                            "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                            boundary);
    if (!err)
        err = put_qp(&msg, html);
    if (!err)
        err = sb_buf_printf(&msg, "\r\n--%s--\r\n", boundary);
    if (err) {
        a->result = OUTBOX_RETRY;
        snprintf(a->error, sizeof(a->error), "cannot build the e-mail");
        goto out;
    }
    err = smtp_send(ctx->cfg->smtp_url, ctx->cfg->smtp_from, rcpt, n, msg.data, SEND_TIMEOUT_MS,
                    &code, &diag);
    if (!err) {
        a->result = OUTBOX_DONE;
    } else {
        /* 5xx replies are permanent (RFC 5321 §4.2.1); the rest may pass later. */
        a->result = code >= 500 && code < 600 ? OUTBOX_FAIL : OUTBOX_RETRY;
        snprintf(a->error, sizeof(a->error), "%s", diag.message);
    }
out:
    json_decref(to);
    free(html);
    free(text);
    sb_buf_free(&msg);
}

static void send(struct sb_ctx *ctx, const struct sb_forward *f, const struct sb_message *m,
                 struct attempt *a)
{
    json_t *cards = NULL, *body = NULL;
    sb_err err = card_message_adaptive(m->from_name, m->body_type, m->body, m->attachments, &cards);

    if (!err && strcmp(f->kind, "workflows") == 0) {
        json_t *c;
        size_t i;

        body = json_pack("{s:s, s:[]}", "type", "message", "attachments");
        json_array_foreach(cards, i, c)
        {
            json_t *att = json_pack("{s:s, s:O}", "contentType",
                                    "application/vnd.microsoft.card.adaptive", "content", c);

            if (!att || !body ||
                json_array_append_new(json_object_get(body, "attachments"), att) != 0)
                err = SB_ERR_NOMEM;
        }
        if (!body)
            err = SB_ERR_NOMEM;
    } else if (!err && strcmp(f->kind, "slack") == 0) {
        err = card_to_slack(cards, &body);
    }
    if (err) {
        a->result = OUTBOX_RETRY;
        snprintf(a->error, sizeof(a->error), "cannot translate the message");
    } else if (strcmp(f->kind, "email") == 0) {
        send_mail(ctx, f, m, cards, a);
    } else {
        post_json(ctx, f->url, body, a);
    }
    json_decref(cards);
    json_decref(body);
}

static outbox_result run(struct sb_ctx *ctx, const char *job_id, json_t *payload, int attempt,
                         int64_t *retry_in_ms, char *error, size_t error_cap)
{
    const char *id = json_string_value(json_object_get(payload, "delivery"));
    struct sb_forward_delivery dl;
    struct sb_outbox_job job;
    struct sb_forward f;
    struct sb_message m = {0};
    struct attempt a = {OUTBOX_RETRY, 0, 0, "", ""};
    sb_err err;

    if (!id || (err = store_forward_delivery_get(ctx->store, id, &dl)) == SB_ERR_NOT_FOUND) {
        snprintf(error, error_cap, "no such delivery");
        return OUTBOX_FAIL;
    }
    if (err) {
        snprintf(error, error_cap, "cannot read the delivery");
        return OUTBOX_RETRY;
    }
    err = store_forward_get(ctx->store, dl.forward_id, &f);
    if (!err)
        err = store_message_get(ctx->store, dl.message_id, &m);
    if (err == SB_ERR_NOT_FOUND) {
        a.result = OUTBOX_FAIL;
        snprintf(a.error, sizeof(a.error), "the forward or the message no longer exists");
    } else if (err) {
        snprintf(error, error_cap, "cannot read the forward");
        return OUTBOX_RETRY;
    } else {
        send(ctx, &f, &m, &a);
    }
    store_message_free(&m);
    /* 24 hours from the job's creation (a replay starts a new window). */
    if (a.result == OUTBOX_RETRY && outbox_get(ctx, job_id, &job) == SB_OK &&
        sb_now_ms(ctx) - job.created_ms >= FORWARD_RETRY_WINDOW_MS) {
        a.result = OUTBOX_FAIL;
        snprintf(a.error + strlen(a.error), sizeof(a.error) - strlen(a.error),
                 " (gave up after 24 hours)");
    }
    snprintf(dl.status, sizeof(dl.status), "%s",
             a.result == OUTBOX_DONE   ? "delivered"
             : a.result == OUTBOX_FAIL ? "failed"
                                       : "pending");
    dl.attempts++;
    dl.http_status = a.http_status;
    snprintf(dl.error, sizeof(dl.error), "%s", a.result == OUTBOX_DONE ? "" : a.error);
    snprintf(dl.response, sizeof(dl.response), "%s", a.response);
    sb_time_now(ctx, dl.last_attempt);
    /* The outcome is recorded before the job's: a crash in between runs the job again
     * (at-least-once, as every outbox job). */
    if (store_forward_delivery_record(ctx->store, &dl) != SB_OK)
        sb_log_error("forward: cannot record delivery %s", dl.id);
    snprintf(error, error_cap, "%s", a.error);
    if (a.result == OUTBOX_RETRY)
        *retry_in_ms = a.retry_in_ms ? a.retry_in_ms : backoff_ms(attempt);
    return a.result;
}

sb_err forward_register(struct outbox *ob)
{
    return outbox_register_limit(ob, STORE_FORWARD_JOB_KIND, run, FORWARD_MAX_RUNS);
}
