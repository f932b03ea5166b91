/*
 * graph_replies.c: the conversation under a channel message (contract §6): replies, edits, soft
 * delete and reactions, at Graph's paths. The routes of a message (.../messages/{m}/...) and of a
 * reply (.../messages/{m}/replies/{r}/...) share these handlers: path parameter 3 names the
 * reply, and then parameter 2 is its parent.
 */
#include "api/api.h"

#include "core/config.h"
#include "core/json.h"
#include "teams/teams.h"

#include <stdio.h>
#include <stdlib.h>

/* The message a route acts on, and its parent on the reply routes (NULL otherwise). */
static void target(const struct api_call *c, const char **parent, const char **id)
{
    const char *reply = api_param(c, 3);

    *parent = reply[0] ? api_param(c, 2) : NULL;
    *id = reply[0] ? reply : api_param(c, 2);
}

/* Reads body:{contentType?, content} of a message or an edit; NULL after answering 400. */
static json_t *message_body(struct api_call *c, const char **content_type, const char **content)
{
    json_t *body = api_body_object(c), *mbody;
    sb_err err;

    if (!body)
        return NULL;
    *content_type = NULL;
    err = sb_json_object(body, "body", true, &mbody, &c->diag);
    if (!err)
        err = sb_json_string(mbody, "contentType", false, 16, content_type, &c->diag);
    if (!err)
        err = sb_json_string(mbody, "content", true, c->ctx->cfg->max_body, content, &c->diag);
    if (err) {
        json_decref(body);
        api_fail(c, err);
        return NULL;
    }
    if (!*content_type)
        *content_type = "text";
    return body;
}

void api_reply_list(struct api_call *c)
{
    const char *team = api_param(c, 0), *channel = api_param(c, 1), *parent = api_param(c, 2);
    struct sb_message *ms = NULL;
    long long top, before;
    size_t n = 0;
    char path[512];
    sb_err err;

    if (!api_query_int(c, "$top", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &top) ||
        !api_query_int(c, "$skiptoken", 1, INT64_MAX, 0, &before))
        return;
    /* One extra row tells whether another page exists. */
    err = teams_reply_page(c->ctx, c->who, team, channel, parent, before, (size_t)top + 1, &ms, &n,
                           &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    snprintf(path, sizeof(path), "/v1.0/teams/%s/channels/%s/messages/%s/replies", team, channel,
             parent);
    api_send_message_page(c, ms, n, top, path, NULL);
}

void api_reply_post(struct api_call *c)
{
    const char *content_type, *content;
    struct sb_mention *mentions = NULL;
    size_t n_mentions = 0;
    struct sb_message m;
    json_t *body = message_body(c, &content_type, &content);
    sb_err err;

    if (!body)
        return;
    err = api_mentions_read(c, body, &mentions, &n_mentions);
    if (!err)
        err = teams_reply_post(c->ctx, c->who, api_param(c, 0), api_param(c, 1), api_param(c, 2),
                               content_type, content, mentions, n_mentions, &m, &c->diag);
    free(mentions);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 201, teams_message_json(&m));
    teams_message_free(&m);
}

void api_reply_get(struct api_call *c)
{
    struct sb_message m;
    int actions_allowed = -1;
    sb_err err = teams_reply_get(c->ctx, c->who, api_param(c, 0), api_param(c, 1), api_param(c, 2),
                                 api_param(c, 3), &m, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, teams_message_render(c->ctx, &m, &actions_allowed));
    teams_message_free(&m);
}

void api_message_patch(struct api_call *c)
{
    const char *content_type, *content, *parent, *id;
    struct sb_mention *mentions = NULL;
    size_t n_mentions = 0;
    json_t *body = message_body(c, &content_type, &content);
    sb_err err;

    if (!body)
        return;
    target(c, &parent, &id);
    err = api_mentions_read(c, body, &mentions, &n_mentions);
    if (!err)
        err = teams_message_edit(c->ctx, c->who, api_param(c, 0), api_param(c, 1), parent, id,
                                 content_type, content, mentions, n_mentions, &c->diag);
    free(mentions);
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

static void soft_delete(struct api_call *c, bool undo)
{
    const char *parent, *id;
    sb_err err;

    target(c, &parent, &id);
    err = teams_message_soft_delete(c->ctx, c->who, api_param(c, 0), api_param(c, 1), parent, id,
                                    undo, &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

void api_message_soft_delete(struct api_call *c)
{
    soft_delete(c, false);
}

void api_message_undo_soft_delete(struct api_call *c)
{
    soft_delete(c, true);
}

static void reaction(struct api_call *c, bool set)
{
    const char *parent, *id, *type;
    json_t *body = api_body_object(c);
    sb_err err;

    if (!body)
        return;
    err = sb_json_string(body, "reactionType", true, 256, &type, &c->diag);
    target(c, &parent, &id);
    if (!err)
        err = teams_reaction_set(c->ctx, c->who, api_param(c, 0), api_param(c, 1), parent, id, type,
                                 set, &c->diag);
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

void api_message_set_reaction(struct api_call *c)
{
    reaction(c, true);
}

void api_message_unset_reaction(struct api_call *c)
{
    reaction(c, false);
}
