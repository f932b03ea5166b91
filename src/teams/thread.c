/*
 * thread.c: the conversation under a message: replies one level deep (as Teams: a reply to a
 * reply is refused), edits by the author, soft delete and its undo by the author or a team
 * owner. sb_can decides who may (SB_ACT_MESSAGE_POST, _EDIT, _DELETE, CHANNEL_READ); this file
 * checks the thread's rules against what is stored. Edits and deletes reach every process's
 * subscribers as "messageUpdated" through the store's "u" notification (remote.c).
 */
#include "teams/teams.h"

#include "auth/perm.h"
#include "core/ids.h"
#include "store/messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sb_err message_not_found(struct sb_diag *diag, const char *id)
{
    return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "message '%s' not found", id);
}

/* Reads what the rules need of message id: it must be in channel_id and, with parent_id, a
 * reply to it. */
static sb_err locate(struct sb_ctx *ctx, const char *channel_id, const char *parent_id,
                     const char *id, struct store_message_ref *ref, struct sb_diag *diag)
{
    sb_err err = store_message_ref(ctx->store, id, ref);

    if (err == SB_ERR_NOT_FOUND || (!err && strcmp(ref->channel_id, channel_id) != 0) ||
        (!err && parent_id && strcmp(ref->reply_to, parent_id) != 0))
        return message_not_found(diag, id);
    return err;
}

static sb_err deleted(struct sb_diag *diag, const char *id)
{
    return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "message '%s' was deleted", id);
}

sb_err teams_reply_post(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *channel_id, const char *parent_id, const char *content_type,
                        const char *content, struct sb_mention *mentions, size_t n_mentions,
                        struct sb_message *out, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    struct store_message_ref parent;
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = sb_can(ctx, who, SB_ACT_MESSAGE_POST, &res, diag);
    if (!err)
        err = locate(ctx, channel_id, NULL, parent_id, &parent, diag);
    if (err)
        return err;
    if (parent.reply_to[0])
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "message '%s' is a reply: reply to its parent message '%s' instead",
                       parent_id, parent.reply_to);
    if (parent.deleted[0])
        return deleted(diag, parent_id);
    err = teams_body_check(content_type, content, diag);
    if (!err)
        err = teams_mentions_check(ctx, team_id, channel_id, content_type, content, mentions,
                                   n_mentions, diag);
    if (!err)
        err = teams_message_new(ctx, who, team_id, channel_id, content_type, content, out);
    if (err)
        return err;
    snprintf(out->reply_to, sizeof(out->reply_to), "%s", parent_id);
    err = teams_mentions_attach(out, mentions, n_mentions);
    if (!err)
        err = store_message_append(ctx->store, out);
    if (err) {
        teams_message_free(out);
        return err;
    }
    teams_message_stored(ctx);
    return SB_OK;
}

sb_err teams_reply_page(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *channel_id, const char *parent_id, int64_t before, size_t limit,
                        struct sb_message **out, size_t *n, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    struct store_message_ref parent;
    sb_err err;

    *out = NULL;
    *n = 0;
    err = sb_can(ctx, who, SB_ACT_CHANNEL_READ, &res, diag);
    if (!err)
        err = locate(ctx, channel_id, NULL, parent_id, &parent, diag);
    if (!err)
        err = store_message_replies(ctx->store, channel_id, parent_id, before, limit, out, n);
    return err;
}

sb_err teams_message_page_replies(struct sb_ctx *ctx, const struct sb_principal *who,
                                  const char *team_id, const char *channel_id, int64_t before,
                                  size_t limit, size_t replies_limit, struct sb_message **out,
                                  size_t *n, struct teams_replies **replies, struct sb_diag *diag)
{
    struct teams_replies *r = NULL;
    sb_err err;

    *replies = NULL;
    err = teams_message_page(ctx, who, team_id, channel_id, before, limit, out, n, diag);
    if (err || *n == 0)
        return err;
    r = calloc(*n, sizeof(*r));
    if (!r) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < *n && !err; i++) {
        err = store_message_replies(ctx->store, channel_id, (*out)[i].id, 0, replies_limit,
                                    &r[i].ms, &r[i].n);
        if (!err)
            err = store_message_reply_count(ctx->store, (*out)[i].id, &r[i].total);
    }
out:
    if (err) {
        teams_replies_free(r, r ? *n : 0);
        teams_message_free_array(*out, *n);
        *out = NULL;
        *n = 0;
        return err;
    }
    *replies = r;
    return SB_OK;
}

void teams_replies_free(struct teams_replies *r, size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++)
        teams_message_free_array(r[i].ms, r[i].n);
    free(r);
}

sb_err teams_reply_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                       const char *channel_id, const char *parent_id, const char *id,
                       struct sb_message *out, struct sb_diag *diag)
{
    sb_err err = teams_message_get(ctx, who, team_id, channel_id, id, out, diag);

    if (!err && strcmp(out->reply_to, parent_id) != 0) {
        teams_message_free(out);
        err = message_not_found(diag, id);
    }
    return err;
}

sb_err teams_message_edit(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, const char *parent_id, const char *id,
                          const char *content_type, const char *content,
                          struct sb_mention *mentions, size_t n_mentions, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, id};
    struct store_message_ref m;
    sb_time now;
    sb_err err = sb_can(ctx, who, SB_ACT_MESSAGE_EDIT, &res, diag);

    if (!err)
        err = locate(ctx, channel_id, parent_id, id, &m, diag);
    if (err)
        return err;
    if (m.deleted[0])
        return deleted(diag, id);
    err = teams_body_check(content_type, content, diag);
    if (!err)
        err = teams_mentions_check(ctx, team_id, channel_id, content_type, content, mentions,
                                   n_mentions, diag);
    if (err)
        return err;
    sb_time_now(ctx, now);
    err = store_message_edit(ctx->store, id, team_id, content_type, content, now, mentions,
                             n_mentions);
    if (err == SB_ERR_CONFLICT)
        return deleted(diag, id); /* deleted between the check and the write */
    return err;
}

sb_err teams_message_soft_delete(struct sb_ctx *ctx, const struct sb_principal *who,
                                 const char *team_id, const char *channel_id, const char *parent_id,
                                 const char *id, bool undo, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, id};
    struct store_message_ref m;
    sb_time now;
    bool changed = false;
    sb_err err = sb_can(ctx, who, SB_ACT_MESSAGE_DELETE, &res, diag);

    if (!err)
        err = locate(ctx, channel_id, parent_id, id, &m, diag);
    if (err)
        return err;
    sb_time_now(ctx, now);
    return store_message_set_deleted(ctx->store, id, team_id, undo ? NULL : now, &changed);
}
