/*
 * webhook_ingest.c: the URLs services post to. Connector-shaped URLs answer as Teams does
 * (200 "1", or the status and sentence Teams sends); workflow-shaped URLs answer as Power
 * Automate does (202, or a JSON error). Service connector URLs answer as connector-shaped ones
 * (their senders only look at the status).
 */
#include "api/api.h"

#include "services/services.h"
#include "teams/teams.h"
#include "webhooks/webhooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void answer(struct api_call *c, const struct webhook_post *post, struct webhook_result *r)
{
    bool workflow = post->url.kind == WEBHOOK_URL_WORKFLOW;

    if (r->status == 200) {
        if (workflow) {
            c->resp->status = 202;
        } else {
            http_response_text(c->resp, 200, "text/plain; charset=utf-8", "1");
        }
    } else if (workflow) {
        api_json(c, r->status,
                 json_pack("{s:{s:s,s:s}}", "error", "code", r->code, "message", r->message));
    } else {
        http_response_text(c->resp, r->status, "text/plain; charset=utf-8", r->message);
    }
    if (r->retry_after > 0)
        http_response_header(c->resp, "Retry-After", "%d", r->retry_after);
    teams_message_free(&r->msg);
}

/* What a post keeps while its write waits for the group commit. */
struct pending {
    struct webhook_post post;
    struct webhook_result result;
    struct http_request *req;
};

static void committed(void *arg)
{
    struct pending *p = arg;
    http_resume(p->req);
}

/* Runs twice for an accepted post: once to start the durable write (the connection is parked
 * meanwhile, holding no thread), and again after the commit to answer. */
static void ingest(struct api_call *c, struct webhook_post *post)
{
    struct pending *p = c->req->state;

    if (c->req->resumed && p) {
        c->req->state = NULL;
        if (p->result.status == 0)
            webhook_ingest_finish(c->ctx, &p->result);
        answer(c, &p->post, &p->result);
        free(p);
        return;
    }
    p = calloc(1, sizeof(*p));
    if (!p) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    p->post = *post;
    p->post.body = c->req->body;
    p->post.len = c->req->body_len;
    p->post.too_large = c->req->body_too_large;
    p->post.content_type = http_header(c->req, "Content-Type");
    p->post.checked = c->req->auth;
    p->req = c->req;
    c->req->state = p;
    http_defer(c->req);
    if (webhook_ingest_start(c->ctx, &p->post, &p->result, committed, p))
        return;
    /* Refused before any write: answer on the resumed call. */
    http_resume(c->req);
}

/* A percent sign anywhere in the path as sent: the router sees the decoded path, where "%2F"
 * and "%40" would become the separators "/" and "@". No part of a webhook URL needs encoding,
 * so an encoded one is not a URL we handed out. (The query, with its encoded "sp", is not
 * looked at.) */
static bool raw_path_clean(const struct api_call *c)
{
    const char *t = c->req->target;

    return !t || strcspn(t, "%?") == strcspn(t, "?");
}

static bool parse_connector(struct api_call *c, int kind, struct webhook_url *u)
{
    if (raw_path_clean(c) &&
        webhook_url_parse(kind, api_param(c, 0), api_param(c, 1), api_param(c, 2),
                          kind == WEBHOOK_URL_V2 ? api_param(c, 3) : NULL, u) == SB_OK)
        return true;
    api_webhook_not_found(c, false);
    return false;
}

static bool parse_workflow(struct api_call *c, struct webhook_url *u)
{
    if (raw_path_clean(c) &&
        webhook_url_parse_workflow(api_param(c, 0), http_query(c->req, "sig"), u) == SB_OK)
        return true;
    api_webhook_not_found(c, true);
    return false;
}

/* Only service kinds: a webhook's id under /connectors/ is unknown here. */
static bool parse_service(struct api_call *c, struct webhook_url *u)
{
    if (raw_path_clean(c) && service_is_kind(api_param(c, 0)) &&
        webhook_url_parse_service(api_param(c, 0), api_param(c, 1), api_param(c, 2), u) == SB_OK)
        return true;
    api_webhook_not_found(c, false);
    return false;
}

/* Answers a post to a URL that is not a current one, as the handler would, before its body.
 * The configuration found is kept as the request's auth (dispatch.c: public routes have no
 * principal there; the server frees it), so the handler does not look it up again. */
static void check(struct api_call *c, const struct webhook_post *post)
{
    struct webhook_result r;
    struct sb_connector *found = calloc(1, sizeof(*found));

    if (!webhook_url_check(c->ctx, &post->url, &r, found)) {
        free(found);
        answer(c, post, &r);
        return;
    }
    if (found && !c->req->auth)
        c->req->auth = found;
    else
        free(found);
}

void api_webhook_check_v2(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_connector(c, WEBHOOK_URL_V2, &post.url))
        check(c, &post);
}

void api_webhook_check_unsigned(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_connector(c, WEBHOOK_URL_UNSIGNED, &post.url))
        check(c, &post);
}

void api_webhook_check_legacy(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_connector(c, WEBHOOK_URL_LEGACY, &post.url))
        check(c, &post);
}

void api_webhook_check_workflow(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_workflow(c, &post.url))
        check(c, &post);
}

void api_service_check(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_service(c, &post.url))
        check(c, &post);
}

void api_webhook_post_v2(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_connector(c, WEBHOOK_URL_V2, &post.url))
        ingest(c, &post);
}

void api_webhook_post_unsigned(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_connector(c, WEBHOOK_URL_UNSIGNED, &post.url))
        ingest(c, &post);
}

void api_webhook_post_legacy(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_connector(c, WEBHOOK_URL_LEGACY, &post.url))
        ingest(c, &post);
}

void api_webhook_post_workflow(struct api_call *c)
{
    struct webhook_post post = {0};

    if (parse_workflow(c, &post.url))
        ingest(c, &post);
}

/* POST /connectors/{kind}/{config}/{signature}: a service's native payload (services.h). */
void api_service_post(struct api_call *c)
{
    struct webhook_post post = {0};
    struct service_request sr = {c->ctx, {NULL, NULL, NULL, NULL}};
    struct webhook_transform tf = {service_transform, &sr};

    if (c->req->resumed) {
        ingest(c, &post);
        return;
    }
    if (!parse_service(c, &post.url))
        return;
    sr.headers.event = http_header(c->req, "X-GitHub-Event");
    if (!sr.headers.event)
        sr.headers.event = http_header(c->req, "X-Gitlab-Event");
    sr.headers.signature = http_header(c->req, "X-Hub-Signature-256");
    sr.headers.token = http_header(c->req, "X-Gitlab-Token");
    sr.headers.content_type = http_header(c->req, "Content-Type");
    post.limit = SERVICE_BODY_MAX;
    /* tf and sr are used only while ingest() starts the post, within this call. */
    post.transform = &tf;
    ingest(c, &post);
}
