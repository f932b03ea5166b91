/*
 * run.c: running an accepted card action from the outbox (see actions.h).
 */
#include "actions/actions.h"

#include "auth/jwt.h"
#include "cards/card_actions.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/utf8.h"
#include "net/fetch.h"
#include "org/org.h"
#include "outbox/outbox.h"
#include "teams/teams.h"
#include "store/actions.h"
#include "store/connectors.h"
#include "store/messages.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADERS_MAX 24

/* Headers a card may not set: the transport's own, and the token's. */
static bool reserved_header(const char *name)
{
    static const char *const names[] = {"host",
                                        "content-length",
                                        "transfer-encoding",
                                        "connection",
                                        "expect",
                                        "authorization",
                                        "action-authorization",
                                        "card-correlation-id",
                                        "action-request-id",
                                        "content-type",
                                        NULL};

    for (const char *const *n = names; *n; n++)
        if (strcasecmp(name, *n) == 0)
            return true;
    return false;
}

/* The signed token for this call (heap). */
static sb_err make_token(struct sb_ctx *ctx, const struct sb_action_execution *e,
                         const struct sb_connector *cc, const char *audience, char **token)
{
    struct sb_user u;
    int64_t now = sb_now_ms(ctx) / 1000;
    json_t *claims;
    sb_err err = store_user_get(ctx->store, e->user_id, &u);

    if (err)
        return err;
    claims = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "iss",
                       ctx->cfg->public_url, "aud", audience, "sub", u.id, "oid", u.id, "upn",
                       u.upn, "name", u.display_name, "tid", ctx->tenant_id, "sender", cc->id,
                       "connectorId", cc->connector_id, "messageId", e->message_id, "actionId",
                       e->action_id, "jti", e->id, "iat", (json_int_t)now, "nbf", (json_int_t)now,
                       "exp", (json_int_t)now + ACTIONS_TOKEN_TTL_S);
    if (!claims)
        return SB_ERR_NOMEM;
    err = jwt_sign(ctx, claims, token);
    json_decref(claims);
    return err;
}

struct call {
    char *lines[HEADERS_MAX + 6];
    size_t n;
};

static sb_err add_line(struct call *c, char *line)
{
    if (!line)
        return SB_ERR_NOMEM;
    if (c->n >= sizeof(c->lines) / sizeof(c->lines[0]) - 1) {
        free(line);
        return SB_OK;
    }
    c->lines[c->n++] = line;
    c->lines[c->n] = NULL;
    return SB_OK;
}

static char *fmt(const char *a, const char *b)
{
    char *s = NULL;

    return asprintf(&s, "%s: %s", a, b) < 0 ? NULL : s;
}

/* The request's headers: the card's own, then ours. */
static sb_err build_lines(json_t *payload, const struct sb_action_execution *e, const char *token,
                          struct call *c)
{
    json_t *h;
    size_t i;
    bool action_auth = false;
    char *bearer = NULL;
    sb_err err = SB_OK;

    json_array_foreach(json_object_get(payload, "headers"), i, h)
    {
        const char *name = json_string_value(json_object_get(h, "name"));
        const char *value = json_string_value(json_object_get(h, "value"));
        if (!name || !value)
            continue;
        /* An empty Authorization in the card asks for the token in Action-Authorization. */
        if (strcasecmp(name, "authorization") == 0 && !*value)
            action_auth = true;
        if (reserved_header(name) || i >= HEADERS_MAX || err)
            continue;
        err = add_line(c, fmt(name, value));
    }
    if (asprintf(&bearer, "Bearer %s", token) < 0)
        return SB_ERR_NOMEM;
    if (!err)
        err = add_line(c, fmt(action_auth ? "Action-Authorization" : "Authorization", bearer));
    if (!err)
        err = add_line(
            c, fmt("Content-Type", json_string_value(json_object_get(payload, "contentType"))));
    if (!err)
        err = add_line(c, fmt("Card-Correlation-Id", e->message_id));
    if (!err)
        err = add_line(c, fmt("Action-Request-Id", e->id));
    free(bearer);
    return err;
}

static void call_free(struct call *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->lines[i]);
    c->n = 0;
}

/* Visible text only: a header value shown to people, cut at a character boundary. */
static void clean_copy(char *dst, size_t cap, const char *src)
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)src; *p && n + 1 < cap; p++)
        dst[n++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
    dst[n] = '\0';
    /* A header value is any bytes, and the copy may end inside a character: keep only valid
     * UTF-8, since the value is shown through JSON. */
    sb_utf8_scrub(dst);
}

/* Replaces the card of the action (attachment att_id; for jobs queued before the payload named
 * it, the prefix of the "<attachment id>:<pointer>" action id) from the response body and tells
 * every viewer. */
static sb_err update_card(struct sb_ctx *ctx, const struct sb_action_execution *e,
                          const char *att_id_payload, const struct fetch_response *r, char *why,
                          size_t why_cap)
{
    struct sb_message m;
    struct sb_diag diag = {{0}, {0}};
    char *attachments = NULL;
    const char *colon = strchr(e->action_id, ':');
    char att_id[40];
    sb_err err;

    if (att_id_payload)
        snprintf(att_id, sizeof(att_id), "%s", att_id_payload);
    else
        snprintf(att_id, sizeof(att_id), "%.*s", colon ? (int)(colon - e->action_id) : 0,
                 e->action_id);
    err = store_message_get(ctx->store, e->message_id, &m);
    if (err)
        return err;
    err = card_replace(m.attachments, att_id, r->body, r->body_len, TEAMS_MESSAGE_MAX, &attachments,
                       &diag);
    /* The "messageUpdated" event follows from the commit (teams/remote.c), in order. */
    if (!err)
        err = store_message_set_attachments(ctx->store, m.id, m.team_id, attachments);
    else if (diag.message[0])
        snprintf(why, why_cap, "%s", diag.message);
    free(attachments);
    store_message_free(&m);
    return err;
}

static void log_delivery(struct sb_ctx *ctx, const struct sb_action_execution *e, const char *who,
                         size_t size)
{
    struct sb_delivery d;

    memset(&d, 0, sizeof(d));
    memcpy(d.connector_id, e->connector_id, sizeof(d.connector_id));
    sb_time_now(ctx, d.at);
    d.size = (int64_t)size;
    d.status = e->http_status;
    /* Truncation is fine: the log line is for people, the execution row keeps the details. */
    if (snprintf(d.error, sizeof(d.error), "card action by %.80s (%.36s) to %.160s: %s%s%.150s",
                 who, e->user_id, e->target, e->status, e->error[0] ? ": " : "", e->error) < 0)
        d.error[0] = '\0';
    sb_utf8_scrub(d.error); /* the "%.80s" cuts may fall inside a character */
    if (store_delivery_append(ctx->store, &d) != SB_OK)
        sb_log_error("cannot log card action %s", e->id);
}

static void finish(struct sb_ctx *ctx, struct sb_action_execution *e, const char *status,
                   size_t size)
{
    struct sb_user u;

    snprintf(e->status, sizeof(e->status), "%s", status);
    sb_time_now(ctx, e->updated);
    if (store_user_get(ctx->store, e->user_id, &u) != SB_OK)
        snprintf(u.display_name, sizeof(u.display_name), "a removed user");
    /* The log first: once the execution shows its result, the log has it too. */
    log_delivery(ctx, e, u.display_name, size);
    if (store_action_finish(ctx->store, e) != SB_OK)
        sb_log_error("cannot record the result of card action %s", e->id);
}

/* Interprets the service's answer. */
static void take_response(struct sb_ctx *ctx, struct sb_action_execution *e, const char *att_id,
                          const struct fetch_response *r)
{
    char value[512] = "", update[16] = "";

    e->http_status = (int)r->status;
    if (fetch_header(r, "CARD-ACTION-STATUS", value, sizeof(value)))
        clean_copy(e->card_action_status, sizeof(e->card_action_status), value);
    if (r->status >= 300 && r->status < 400) {
        snprintf(e->error, sizeof(e->error),
                 "the service answered with a redirect (HTTP %ld), which is not followed",
                 r->status);
        finish(ctx, e, "failed", r->body_len);
        return;
    }
    if (r->status < 200 || r->status >= 300) {
        snprintf(e->error, sizeof(e->error), "the service answered HTTP %ld", r->status);
        finish(ctx, e, "failed", r->body_len);
        return;
    }
    if (fetch_header(r, "CARD-UPDATE-IN-BODY", update, sizeof(update)) &&
        strcasecmp(update, "true") == 0) {
        char why[320] = "";
        if (update_card(ctx, e, att_id, r, why, sizeof(why)) == SB_OK)
            e->card_updated = true;
        else
            snprintf(e->error, sizeof(e->error), "the card was not updated: %s",
                     why[0] ? why : "it could not be stored");
    }
    finish(ctx, e, "succeeded", r->body_len);
}

static outbox_result run(struct sb_ctx *ctx, const char *job_id, json_t *payload, int attempt,
                         int64_t *retry_in_ms, char *error, size_t error_cap)
{
    struct sb_action_execution e;
    struct sb_connector cc;
    struct fetch_request rq;
    struct fetch_policy policy = {0};
    struct fetch_response r = {0, NULL, NULL, 0};
    struct sb_diag diag = {{0}, {0}};
    struct call c = {{NULL}, 0};
    char origin[600], *token = NULL;
    const char *why = NULL, *body = json_string_value(json_object_get(payload, "body"));
    bool allowed = false;
    outbox_result res = OUTBOX_DONE;
    sb_err err;

    (void)retry_in_ms;
    err = store_action_get(ctx->store, job_id, &e);
    if (err == SB_ERR_NOT_FOUND || (!err && strcmp(e.status, "pending") != 0))
        return OUTBOX_DONE; /* already ran (a repeated job) */
    if (err)
        goto retry;
    err = teams_actions_allowed(ctx, e.team_id, &allowed, &why);
    if (err)
        goto retry;
    if (!allowed) {
        snprintf(e.error, sizeof(e.error), "%s", why ? why : "Actionable messages are off.");
        finish(ctx, &e, "failed", 0);
        return OUTBOX_DONE;
    }
    err = store_connector_get(ctx->store, e.connector_id, &cc);
    if (!err && fetch_url_origin(e.target, origin, sizeof(origin)) != SB_OK)
        err = SB_ERR_INVALID;
    if (!err)
        err = make_token(ctx, &e, &cc, origin, &token);
    if (!err)
        err = build_lines(payload, &e, token, &c);
    if (err) {
        snprintf(e.error, sizeof(e.error), "the call could not be prepared (%s)", sb_err_name(err));
        finish(ctx, &e, "failed", 0);
        goto out;
    }
    memset(&rq, 0, sizeof(rq));
    rq.method = json_string_value(json_object_get(payload, "method"));
    rq.url = e.target;
    rq.headers = (const char *const *)c.lines;
    if (rq.method && strcmp(rq.method, "POST") == 0) {
        rq.body = body ? body : "";
        rq.body_len = strlen(rq.body);
    }
    rq.timeout_ms = ACTIONS_TIMEOUT_MS;
    rq.max_response = ACTIONS_MAX_RESPONSE;
    err = org_fetch_policy(ctx, &policy);
    if (!err)
        err = fetch_do(&policy, &rq, &r, &diag);
    org_fetch_policy_free(&policy);
    if (!err) {
        take_response(ctx, &e, json_string_value(json_object_get(payload, "attachmentId")), &r);
    } else if (strcmp(diag.code, "outboundFailed") == 0 && attempt < ACTIONS_ATTEMPTS) {
        /* Nothing reached the service: trying again cannot run the action twice. */
        snprintf(error, error_cap, "%s", diag.message);
        res = OUTBOX_RETRY;
    } else {
        snprintf(e.error, sizeof(e.error), "%s", diag.message[0] ? diag.message : sb_err_name(err));
        finish(ctx, &e, "failed", 0);
    }
out:
    fetch_response_free(&r);
    call_free(&c);
    free(token);
    return res;
retry:
    snprintf(error, error_cap, "store: %s", sb_err_name(err));
    return OUTBOX_RETRY;
}

sb_err actions_register(struct outbox *ob)
{
    return outbox_register(ob, ACTIONS_JOB_KIND, run);
}
