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

/* Replies expanded per message: Graph's list gives up to 1,000; we give a page's worth, with
 * the count and a nextLink to the rest, which is what a thread summary needs. */
#define EXPAND_REPLIES API_PAGE_MAX

void api_message_list(struct api_call *c)
{
    const char *team = api_param(c, 0), *channel = api_param(c, 1);
    const char *expand = http_query(c->req, "$expand");
    struct sb_message *ms = NULL;
    struct teams_replies *replies = NULL;
    long long top, before;
    size_t n = 0;
    char path[512];
    sb_err err;

    if (!api_query_int(c, "$top", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &top) ||
        !api_query_int(c, "$skiptoken", 1, INT64_MAX, 0, &before))
        return;
    if (expand && strcmp(expand, "replies") != 0) {
        api_failf(c, SB_ERR_INVALID, "BadRequest",
                  "$expand supports only 'replies' on channel messages");
        return;
    }
    /* One extra row tells whether another page exists (of messages, and of each one's replies). */
    if (expand)
        err = teams_message_page_replies(c->ctx, c->who, team, channel, before, (size_t)top + 1,
                                         EXPAND_REPLIES + 1, &ms, &n, &replies, &c->diag);
    else
        err = teams_message_page(c->ctx, c->who, team, channel, before, (size_t)top + 1, &ms, &n,
                                 &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    snprintf(path, sizeof(path), "/v1.0/teams/%s/channels/%s/messages", team, channel);
    api_send_message_page(c, ms, n, top, path, replies);
}

static void expand_replies(struct api_call *c, json_t *msg, const struct teams_replies *r,
                           const char *path, int *actions_allowed)
{
    json_t *value = json_array();
    const char *id = json_string_value(json_object_get(msg, "id"));

    for (size_t i = 0; value && i < r->n && i < EXPAND_REPLIES; i++)
        json_array_append_new(value, teams_message_render(c->ctx, &r->ms[i], actions_allowed));
    json_object_set_new(msg, "replies", value ? value : json_array());
    json_object_set_new(msg, "replies@odata.count", json_integer(r->total));
    if (r->n > EXPAND_REPLIES && id) {
        char link[1024];
        snprintf(link, sizeof(link), "%s%s/%s/replies?$top=%d&$skiptoken=%lld",
                 c->ctx->cfg->public_url, path, id, EXPAND_REPLIES,
                 (long long)r->ms[EXPAND_REPLIES - 1].seq);
        json_object_set_new(msg, "replies@odata.nextLink", json_string(link));
    }
}

/* A page with its threads expanded: each message's tree gets its replies. */
static void send_expanded_page(struct api_call *c, struct sb_message *ms, size_t n, long long top,
                               const char *path, struct teams_replies *replies)
{
    int actions_allowed = -1; /* one team: one policy answer for the page */
    json_t *value = json_array(), *page;

    for (size_t i = 0; value && i < n && i < (size_t)top; i++) {
        json_t *msg = teams_message_render(c->ctx, &ms[i], &actions_allowed);
        if (msg)
            expand_replies(c, msg, &replies[i], path, &actions_allowed);
        json_array_append_new(value, msg);
    }
    page = json_pack("{s:o}", "value", value);
    if (page && n > (size_t)top) {
        char link[1024];
        snprintf(link, sizeof(link), "%s%s?$top=%lld&$skiptoken=%lld&$expand=replies",
                 c->ctx->cfg->public_url, path, top, (long long)ms[top - 1].seq);
        json_object_set_new(page, "@odata.nextLink", json_string(link));
    }
    api_json(c, 200, page);
}

/* A plain page, written straight into the response body (teams_message_write): no JSON tree. The
 * nextLink's $skiptoken is the seq of the page's last message: the next page is the messages
 * before it (keyset paging on the channel's (channel_id, seq) index, no OFFSET). */
static void send_page(struct api_call *c, struct sb_message *ms, size_t n, long long top,
                      const char *path)
{
    int actions_allowed = -1; /* one team: one policy answer for the page */
    struct sb_buf b = {0};
    size_t room = 1024; /* the page's size, about: one allocation, no copy as it grows */
    sb_err err;

    for (size_t i = 0; i < n && i < (size_t)top; i++)
        room += 1024 + strlen(ms[i].body) + (ms[i].attachments ? strlen(ms[i].attachments) : 0);
    err = sb_buf_reserve(&b, room);
    if (!err)
        err = sb_buf_puts(&b, "{\"value\":[");

    for (size_t i = 0; !err && i < n && i < (size_t)top; i++) {
        if (i)
            err = sb_buf_append(&b, ",", 1);
        if (!err)
            err = teams_message_write(c->ctx, &ms[i], &actions_allowed, &b);
    }
    if (!err)
        err = sb_buf_append(&b, "]", 1);
    if (!err && n > (size_t)top) {
        char link[1024];
        snprintf(link, sizeof(link), "%s%s?$top=%lld&$skiptoken=%lld", c->ctx->cfg->public_url,
                 path, top, (long long)ms[top - 1].seq);
        err = sb_buf_puts(&b, ",\"@odata.nextLink\":");
        if (!err)
            err = teams_json_put_string(&b, link);
    }
    if (!err)
        err = sb_buf_append(&b, "}", 1);
    if (err)
        api_fail(c, err);
    else
        api_json_text(c, 200, &b);
    sb_buf_free(&b);
}

void api_send_message_page(struct api_call *c, struct sb_message *ms, size_t n, long long top,
                           const char *path, struct teams_replies *replies)
{
    if (replies)
        send_expanded_page(c, ms, n, top, path, replies);
    else
        send_page(c, ms, n, top, path);
    teams_replies_free(replies, n);
    teams_message_free_array(ms, n);
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

static sb_err mention_invalid(struct api_call *c, size_t i, const char *what)
{
    return sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest", "mentions[%zu]: %s", i, what);
}

/* Copies obj[key] (a string of at most dst_size - 1 bytes, required) into dst. */
static sb_err copy_string(struct api_call *c, json_t *obj, const char *key, char *dst,
                          size_t dst_size)
{
    const char *v;
    sb_err err = sb_json_string(obj, key, true, dst_size - 1, &v, &c->diag);

    if (!err)
        memcpy(dst, v, strlen(v) + 1);
    return err;
}

/* mentions[i]: {id, mentionText, mentioned:{user:{id}} or {conversation:{id,
 * conversationIdentityType:"channel"}}}; the displayName sent is not kept (the server's is). */
static sb_err mention_read(struct api_call *c, size_t i, json_t *j, struct sb_mention *x)
{
    json_t *id = json_object_get(j, "id"), *mentioned = NULL, *user = NULL, *conv = NULL;
    const char *kind = NULL;
    sb_err err;

    if (!json_is_object(j))
        return mention_invalid(c, i, "must be an object");
    if (!json_is_integer(id) || json_integer_value(id) < 0 || json_integer_value(id) > 999999999)
        return mention_invalid(c, i, "id must be an integer from 0 to 999999999");
    x->id = json_integer_value(id);
    err = copy_string(c, j, "mentionText", x->text, sizeof(x->text));
    if (!err)
        err = sb_json_object(j, "mentioned", true, &mentioned, &c->diag);
    if (!err)
        err = sb_json_object(mentioned, "user", false, &user, &c->diag);
    if (!err)
        err = sb_json_object(mentioned, "conversation", false, &conv, &c->diag);
    if (err)
        return err;
    if (!user == !conv)
        return mention_invalid(c, i, "mentioned must name a user or the channel (conversation)");
    if (user)
        return copy_string(c, user, "id", x->target, sizeof(x->target));
    err = sb_json_string(conv, "conversationIdentityType", true, 16, &kind, &c->diag);
    if (!err && strcmp(kind, "channel") != 0)
        return mention_invalid(c, i, "only the channel can be mentioned as a conversation");
    x->channel = true;
    return err ? err : copy_string(c, conv, "id", x->target, sizeof(x->target));
}

sb_err api_mentions_read(struct api_call *c, json_t *body, struct sb_mention **out, size_t *n)
{
    json_t *a = json_object_get(body, "mentions");
    sb_err err = SB_OK;

    *out = NULL;
    *n = 0;
    if (!a || json_is_null(a))
        return SB_OK;
    if (!json_is_array(a))
        return sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest", "mentions must be an array");
    if (json_array_size(a) > SB_MENTIONS_MAX)
        return sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest",
                       "mentions: at most %d mentions in one message", SB_MENTIONS_MAX);
    if (json_array_size(a) == 0)
        return SB_OK;
    *out = calloc(json_array_size(a), sizeof(**out));
    if (!*out)
        return SB_ERR_NOMEM;
    for (size_t i = 0; !err && i < json_array_size(a); i++)
        err = mention_read(c, i, json_array_get(a, i), &(*out)[i]);
    if (err) {
        free(*out);
        *out = NULL;
        return err;
    }
    *n = json_array_size(a);
    return SB_OK;
}

void api_message_post(struct api_call *c)
{
    const char *team = api_param(c, 0), *channel = api_param(c, 1);
    const char *content_type, *content;
    struct sb_mention *mentions = NULL;
    size_t n_mentions = 0;
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
        err = api_mentions_read(c, body, &mentions, &n_mentions);
    if (!err)
        err =
            teams_message_post(c->ctx, c->who, team, channel, content_type ? content_type : "text",
                               content, mentions, n_mentions, &m, &c->diag);
    free(mentions);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 201, teams_message_json(&m));
    teams_message_free(&m);
}
