/*
 * webhook_ingest.c: the URLs services post to. Connector-shaped URLs answer as Teams does
 * (200 "1", or the status and sentence Teams sends); workflow-shaped URLs answer as Power
 * Automate does (202, or a JSON error).
 */
#include "api/api.h"

#include "webhooks/webhooks.h"

#include <stdio.h>

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
    store_message_free(&r->msg);
}

static void ingest(struct api_call *c, struct webhook_post *post)
{
    struct webhook_result r;

    post->body = c->req->body;
    post->len = c->req->body_len;
    post->too_large = c->req->body_too_large;
    post->content_type = http_header(c->req, "Content-Type");
    webhook_ingest(c->ctx, post, &r);
    answer(c, post, &r);
}

static void unknown_url(struct api_call *c, bool workflow)
{
    static const char text[] =
        "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP "
        "error 404 with ContextId tcid=0,server=switchboard. The webhook URL is not valid.";

    if (workflow)
        api_json(c, 404,
                 json_pack("{s:{s:s,s:s}}", "error", "code", "WebhookNotFound", "message", text));
    else
        http_response_text(c->resp, 404, "text/plain; charset=utf-8", text);
}

void api_webhook_post_v2(struct api_call *c)
{
    struct webhook_post post = {0};

    if (webhook_url_parse(api_param(c, 0), api_param(c, 1), api_param(c, 2), api_param(c, 3),
                          &post.url) != SB_OK) {
        unknown_url(c, false);
        return;
    }
    ingest(c, &post);
}

void api_webhook_post_legacy(struct api_call *c)
{
    struct webhook_post post = {0};

    if (webhook_url_parse(api_param(c, 0), api_param(c, 1), api_param(c, 2), NULL, &post.url) !=
        SB_OK) {
        unknown_url(c, false);
        return;
    }
    ingest(c, &post);
}

void api_webhook_post_workflow(struct api_call *c)
{
    struct webhook_post post = {0};

    if (webhook_url_parse_workflow(api_param(c, 0), http_query(c->req, "sig"), &post.url) !=
        SB_OK) {
        unknown_url(c, true);
        return;
    }
    ingest(c, &post);
}
