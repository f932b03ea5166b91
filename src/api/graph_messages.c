/*
 * graph_messages.c: channel messages, newest first, paged with $top and @odata.nextLink. The
 * list holds the channel's root messages, as Graph's does; replies are listed under their
 * parent (graph_replies.c).
 */
#include "api/api.h"

#include "core/config.h"
#include "core/json.h"
#include "teams/teams.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool api_query_int(struct api_call *c, const char *name, long long min, long long max,
                   long long def, long long *out)
{
    const char *v = http_query(c->req, name);
    char *end;

    *out = def;
    if (!v)
        return true;
    errno = 0;
    *out = strtoll(v, &end, 10);
    if (errno || !*v || *end || *out < min || *out > max) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest",
                  "%s must be a whole number from %lld to %lld", name, min, max);
        return false;
    }
    return true;
}

void api_message_list(struct api_call *c)
{
    const char *team = api_param(c, 0), *channel = api_param(c, 1);
    struct sb_message *ms = NULL;
    long long top, before;
    size_t n = 0;
    int actions_allowed = -1; /* one team: one policy answer for the page */
    json_t *value, *page;
    sb_err err;

    if (!api_query_int(c, "$top", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &top) ||
        !api_query_int(c, "$skiptoken", 1, INT64_MAX, 0, &before))
        return;
    /* One extra row tells whether another page exists. */
    err = teams_message_page(c->ctx, c->who, team, channel, before, (size_t)top + 1, &ms, &n,
                             &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n && i < (size_t)top; i++)
        json_array_append_new(value, teams_message_render(c->ctx, &ms[i], &actions_allowed));
    page = json_pack("{s:o}", "value", value);
    if (page && n > (size_t)top) {
        char link[1024];
        snprintf(link, sizeof(link),
                 "%s/v1.0/teams/%s/channels/%s/messages?$top=%lld&$skiptoken=%lld",
                 c->ctx->cfg->public_url, team, channel, top, (long long)ms[top - 1].seq);
        json_object_set_new(page, "@odata.nextLink", json_string(link));
    }
    teams_message_free_array(ms, n);
    api_json(c, 200, page);
}

/* One message, rendered as the list renders it. */
void api_message_get(struct api_call *c)
{
    const char *team = api_param(c, 0), *channel = api_param(c, 1), *id = api_param(c, 2);
    struct sb_message m;
    int actions_allowed = -1;
    sb_err err;

    err = teams_message_get(c->ctx, c->who, team, channel, id, &m, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, teams_message_render(c->ctx, &m, &actions_allowed));
    teams_message_free(&m);
}

void api_message_post(struct api_call *c)
{
    const char *team = api_param(c, 0), *channel = api_param(c, 1);
    const char *content_type, *content;
    struct sb_message m;
    json_t *body, *mbody;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_object(body, "body", true, &mbody, &c->diag);
    if (!err)
        err = sb_json_string(mbody, "contentType", false, 16, &content_type, &c->diag);
    if (!err)
        err = sb_json_string(mbody, "content", true, c->ctx->cfg->max_body, &content, &c->diag);
    if (!err)
        err = teams_message_post(c->ctx, c->who, team, channel,
                                 content_type ? content_type : "text", content, &m, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 201, teams_message_json(&m));
    teams_message_free(&m);
}
