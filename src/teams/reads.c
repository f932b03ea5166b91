/*
 * reads.c: what handlers read about teams, channels, memberships and messages. Each function
 * that takes a principal asks sb_can itself (the answer and its diag are the handler's error).
 */
#include "auth/perm.h"
#include "org/org.h"
#include "teams/teams.h"
#include "store/messages.h"
#include "store/teams.h"

#include <string.h>

sb_err teams_team_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                      struct sb_team *out, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_TEAM_READ, &res, diag);

    if (!err)
        err = store_team_get(ctx->store, team_id, out);
    return err;
}

sb_err teams_joined(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_team **out,
                    size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (!err)
        err = store_team_list_for_user(ctx->store, who->user_id, out, n);
    return err;
}

sb_err teams_channel_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          struct sb_channel **out, size_t *n, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_TEAM_READ, &res, diag);

    if (!err)
        err = store_channel_list(ctx->store, team_id, out, n);
    return err;
}

sb_err teams_channel_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         const char *channel_id, struct sb_channel *out, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_CHANNEL_READ, &res, diag);

    if (!err)
        err = store_channel_get(ctx->store, channel_id, out);
    return err;
}

sb_err teams_member_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         struct sb_member **out, size_t *n, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_TEAM_READ, &res, diag);

    if (!err)
        err = store_member_list(ctx->store, team_id, out, n);
    return err;
}

sb_err teams_member_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *membership_id, struct sb_member *out, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_TEAM_READ, &res, diag);

    if (err)
        return err;
    err = store_member_get(ctx->store, team_id, membership_id, out);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "membership '%s' not found", membership_id);
    return err;
}

sb_err teams_message_page(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, int64_t before, size_t limit,
                          struct sb_message **out, size_t *n, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_CHANNEL_READ, &res, diag);

    if (!err)
        err = store_message_page(ctx->store, channel_id, before, limit, out, n);
    return err;
}

sb_err teams_message_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         const char *channel_id, const char *id, struct sb_message *out,
                         struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_CHANNEL_READ, &res, diag);

    if (err)
        return err;
    err = store_message_get(ctx->store, id, out);
    /* A message of another channel is as unknown as one that does not exist: its id tells
     * nothing about where it lives. */
    if (!err && (strcmp(out->team_id, team_id) != 0 || strcmp(out->channel_id, channel_id) != 0)) {
        store_message_free(out);
        err = SB_ERR_NOT_FOUND;
    }
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "message '%s' not found", id);
    return err;
}

sb_err teams_message_feed(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *app_type, int64_t before, size_t limit,
                          struct sb_message **out, size_t *n, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    sb_err err = sb_can(ctx, who, SB_ACT_TEAM_READ, &res, diag);

    if (!err)
        err = store_message_feed(ctx->store, team_id, app_type, before, limit, out, n);
    return err;
}

sb_err teams_message_since(struct sb_ctx *ctx, const struct sb_principal *who, int64_t after,
                           size_t limit, struct sb_message **out, size_t *n)
{
    sb_err err =
        store_message_since(ctx->store, who->is_admin ? NULL : who->user_id, after, limit, out, n);

    /* A replay shows the reactions given since; the live path (remote.c) reads new messages
     * without them, as they have none yet. */
    if (!err)
        err = store_message_reactions_fill(ctx->store, NULL, NULL, *out, *n);
    if (err && *out) {
        store_message_free_array(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return err;
}

void teams_message_free(struct sb_message *m)
{
    store_message_free(m);
}

void teams_message_free_array(struct sb_message *ms, size_t n)
{
    store_message_free_array(ms, n);
}

sb_err teams_update_member_settings(struct sb_ctx *ctx, const struct sb_principal *who,
                                    const char *team_id, bool allow, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    struct sb_team before = {0};
    struct sb_audit audit = {0};
    json_t *b = NULL, *a = NULL;
    bool changed;
    sb_err err = sb_can(ctx, who, SB_ACT_TEAM_UPDATE, &res, diag);

    if (!err)
        err = store_team_get(ctx->store, team_id, &before);
    if (err)
        goto out;
    /* The setting and its audit entry (when it changes) are one transaction. */
    changed = before.allow_connectors != allow;
    b = json_pack("{s:{s:b}}", "memberSettings", "allowCreateUpdateRemoveConnectors",
                  before.allow_connectors);
    a = json_pack("{s:{s:b}}", "memberSettings", "allowCreateUpdateRemoveConnectors", allow);
    if (!b || !a)
        err = SB_ERR_NOMEM;
    else if (changed)
        err = org_audit_entry(ctx, who->user_id, who->display_name, "team.memberSettings", team_id,
                              b, a, &audit);
    if (!err)
        err = teams_set_member_settings(ctx, team_id, allow, changed ? &audit : NULL, diag);
    org_audit_entry_free(&audit);
out:
    json_decref(b);
    json_decref(a);
    return err;
}
