#include "auth/perm.h"

#include "org/org.h"
#include "store/messages.h"
#include "store/teams.h"

#include <string.h>

static bool team_scoped(enum sb_action a)
{
    switch (a) {
    case SB_ACT_SIGNED_IN:
    case SB_ACT_USER_READ:
    case SB_ACT_USER_CREATE:
    case SB_ACT_TEAM_CREATE:
    case SB_ACT_CONNECTOR_REGISTER:
    case SB_ACT_ADMIN:
    case SB_ACT_EXTERNAL_CONNECTION:
    case SB_ACT_EXTERNAL_ITEM:
    case SB_ACT_SEARCH:
    case SB_ACT_TENANT_READ:
        return false;
    default:
        return true;
    }
}

static sb_err not_found(struct sb_diag *diag, const struct sb_resource *res)
{
    if (res->channel_id)
        return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "channel '%s' not found",
                       res->channel_id);
    return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "team '%s' not found", res->team_id);
}

static sb_err forbidden(struct sb_diag *diag, const char *what)
{
    return sb_fail(diag, SB_ERR_FORBIDDEN, "Forbidden", "%s", what);
}

/* Checks that the team (and channel, if named) exist and belong together. */
static sb_err locate(struct sb_ctx *ctx, const struct sb_resource *res, struct sb_team *team,
                     struct sb_diag *diag)
{
    struct sb_channel ch;
    sb_err err;

    if (!res || !res->team_id)
        return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "team not found");
    err = store_team_get(ctx->store, res->team_id, team);
    if (err == SB_ERR_NOT_FOUND)
        return not_found(diag, res);
    if (err || !res->channel_id)
        return err;
    err = store_channel_get(ctx->store, res->channel_id, &ch);
    if (err == SB_ERR_NOT_FOUND || (!err && strcmp(ch.team_id, team->id) != 0))
        return not_found(diag, res);
    return err;
}

static sb_err member_remove(struct sb_ctx *ctx, const struct sb_principal *who, int role,
                            const struct sb_resource *res, struct sb_diag *diag)
{
    struct sb_member m;
    sb_err err;

    if (role == SB_ROLE_OWNER)
        return SB_OK;
    if (!res->item_id)
        return forbidden(diag, "only team owners can remove members");
    err = store_member_get(ctx->store, res->team_id, res->item_id, &m);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "membership '%s' not found", res->item_id);
    if (err)
        return err;
    if (strcmp(m.user_id, who->user_id) == 0)
        return SB_OK;
    return forbidden(diag, "only team owners can remove other members");
}

/* Edits (the author's) and soft deletes (the author's and owners') of a message of the
 * channel; role is SB_ROLE_OWNER for administrators, who may delete but not edit. */
static sb_err message_author(struct sb_ctx *ctx, const struct sb_principal *who, int role,
                             enum sb_action action, const struct sb_resource *res,
                             struct sb_diag *diag)
{
    struct store_message_ref m;
    sb_err err;
    bool author;

    if (!res->item_id)
        return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "message not found");
    err = store_message_ref(ctx->store, res->item_id, &m);
    if (err == SB_ERR_NOT_FOUND || (!err && strcmp(m.channel_id, res->channel_id) != 0))
        return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "message '%s' not found", res->item_id);
    if (err)
        return err;
    author = strcmp(m.from_kind, "user") == 0 && strcmp(m.from_id, who->user_id) == 0;
    if (author)
        return SB_OK;
    if (action == SB_ACT_MESSAGE_DELETE)
        return role == SB_ROLE_OWNER
                   ? SB_OK
                   : forbidden(diag, "only the author and team owners can delete a message");
    return forbidden(diag, strcmp(m.from_kind, "user") == 0
                               ? "only the author can edit a message"
                               : "a connector's card cannot be edited by people");
}

/* Organisation and group connector switches: the organisation wins over the group. */
static sb_err policy(struct sb_ctx *ctx, const struct sb_team *team, struct sb_diag *diag)
{
    struct org_settings org;
    const char *why;
    sb_err err = org_settings_get(ctx, &org);

    if (err)
        return err;
    if (!org_team_connectors_enabled(&org, team, &why))
        return sb_fail(diag, SB_ERR_FORBIDDEN, "ConnectorsDisabled", "%s", why);
    return SB_OK;
}

/* Non-administrators register connectors only while the organisation lets developers do it. */
static sb_err developers(struct sb_ctx *ctx, struct sb_diag *diag)
{
    struct org_settings org;
    sb_err err = org_settings_get(ctx, &org);

    if (err)
        return err;
    return org.developers_may_register
               ? SB_OK
               : forbidden(diag, "only administrators can register connectors in this "
                                 "organization (developersMayRegisterConnectors is off)");
}

/* Applications act only on external connections and items, as far as their roles go. */
static sb_err app_can(const struct sb_principal *who, enum sb_action action, struct sb_diag *diag)
{
    unsigned need = action == SB_ACT_EXTERNAL_CONNECTION ? AUTH_ROLE_EXTERNAL_CONNECTION
                    : action == SB_ACT_EXTERNAL_ITEM     ? AUTH_ROLE_EXTERNAL_ITEM
                                                         : 0;

    if (!who->is_app)
        return forbidden(diag, "external connections are managed by applications: use an "
                               "application token (client credentials)");
    if (action == SB_ACT_TENANT_READ)
        return SB_OK;
    if (!need)
        return forbidden(diag, "applications cannot do this");
    if (!(who->roles & need))
        return forbidden(diag, need == AUTH_ROLE_EXTERNAL_CONNECTION
                                   ? "the token lacks the role ExternalConnection.ReadWrite.OwnedBy"
                                   : "the token lacks the role ExternalItem.ReadWrite.OwnedBy");
    return SB_OK;
}

/* Connectors on for the team, and actionable messages on for the organisation. */
static sb_err action_policy(struct sb_ctx *ctx, const struct sb_team *team, struct sb_diag *diag)
{
    struct org_settings org;
    sb_err err = policy(ctx, team, diag);

    if (!err)
        err = org_settings_get(ctx, &org);
    if (!err && !org.actionable_enabled)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "ActionableMessagesDisabled",
                       "Actionable messages are turned off for this organization by an "
                       "administrator.");
    return err;
}

sb_err sb_can(struct sb_ctx *ctx, const struct sb_principal *who, enum sb_action action,
              const struct sb_resource *res, struct sb_diag *diag)
{
    struct sb_team team = {0};
    int role = SB_ROLE_NONE;
    sb_err err;

    if (action == SB_ACT_WEBHOOK_POST) {
        err = locate(ctx, res, &team, diag);
        return err ? err : policy(ctx, &team, diag);
    }
    if (!who)
        return sb_fail(diag, SB_ERR_UNAUTHORIZED, "InvalidAuthenticationToken",
                       "authentication is required");
    if (who->is_app || action == SB_ACT_EXTERNAL_CONNECTION || action == SB_ACT_EXTERNAL_ITEM)
        return app_can(who, action, diag);
    if (!team_scoped(action)) {
        if (action == SB_ACT_SIGNED_IN || action == SB_ACT_SEARCH || action == SB_ACT_TENANT_READ ||
            action == SB_ACT_USER_READ || action == SB_ACT_TEAM_CREATE || who->is_admin)
            return SB_OK;
        if (action == SB_ACT_CONNECTOR_REGISTER)
            return developers(ctx, diag);
        return forbidden(diag, action == SB_ACT_USER_CREATE ? "only administrators can create users"
                                                            : "only administrators can do this");
    }
    err = locate(ctx, res, &team, diag);
    if (err)
        return err;
    if (action == SB_ACT_TEAM_JOIN)
        return team.is_public ? SB_OK : not_found(diag, res);
    if (who->is_admin) {
        if (action == SB_ACT_MESSAGE_EDIT || action == SB_ACT_MESSAGE_DELETE)
            return message_author(ctx, who, SB_ROLE_OWNER, action, res, diag);
        if (action == SB_ACT_MESSAGE_ACTION)
            return action_policy(ctx, &team, diag);
        return action == SB_ACT_CONNECTOR_CREATE ? policy(ctx, &team, diag) : SB_OK;
    }
    err = store_member_role(ctx->store, team.id, who->user_id, &role);
    if (err)
        return err;
    if (role == SB_ROLE_NONE)
        return not_found(diag, res);

    switch (action) {
    case SB_ACT_TEAM_READ:
    case SB_ACT_CHANNEL_READ:
    case SB_ACT_MESSAGE_POST:
        return SB_OK;
    case SB_ACT_MESSAGE_ACTION:
        return action_policy(ctx, &team, diag);
    case SB_ACT_MESSAGE_EDIT:
    case SB_ACT_MESSAGE_DELETE:
        return message_author(ctx, who, role, action, res, diag);
    case SB_ACT_CHANNEL_CREATE:
        return role >= SB_ROLE_MEMBER ? SB_OK : forbidden(diag, "guests cannot create channels");
    case SB_ACT_TEAM_UPDATE:
        return role == SB_ROLE_OWNER ? SB_OK
                                     : forbidden(diag, "only team owners can change settings");
    case SB_ACT_MEMBER_ADD:
        return role == SB_ROLE_OWNER ? SB_OK : forbidden(diag, "only team owners can add members");
    case SB_ACT_MEMBER_REMOVE:
        return member_remove(ctx, who, role, res, diag);
    case SB_ACT_MEMBER_UPDATE:
        return role == SB_ROLE_OWNER ? SB_OK : forbidden(diag, "only team owners can change roles");
    case SB_ACT_CONNECTOR_CREATE:
    case SB_ACT_CONNECTOR_MANAGE:
        if (role != SB_ROLE_OWNER && !(role == SB_ROLE_MEMBER && team.allow_connectors))
            return forbidden(diag, role == SB_ROLE_GUEST
                                       ? "guests cannot manage connectors"
                                       : "this team does not allow members to manage connectors");
        return action == SB_ACT_CONNECTOR_CREATE ? policy(ctx, &team, diag) : SB_OK;
    default:
        return forbidden(diag, "not allowed");
    }
}
