/*
 * directory.c: the teams directory (issue 21 item 5): public teams anyone may browse and join,
 * private teams by invitation; owners set a team's visibility and their members' roles.
 */
#include "teams/teams.h"

#include "auth/perm.h"
#include "org/org.h"
#include "store/teams.h"

#include <string.h>

sb_err teams_directory(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_team **out,
                       size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    *out = NULL;
    *n = 0;
    if (err)
        return err;
    return store_team_list_directory(ctx->store, who->user_id, who->is_admin, out, n);
}

sb_err teams_set_visibility(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                            bool is_public, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    struct sb_team before = {0};
    struct sb_audit audit = {0};
    json_t *b = NULL, *a = NULL;
    sb_err err = sb_can(ctx, who, SB_ACT_TEAM_UPDATE, &res, diag);

    if (!err)
        err = store_team_get(ctx->store, team_id, &before);
    if (err || before.is_public == is_public)
        return err;
    b = json_pack("{s:s}", "visibility", before.is_public ? "public" : "private");
    a = json_pack("{s:s}", "visibility", is_public ? "public" : "private");
    if (!b || !a)
        err = SB_ERR_NOMEM;
    else
        err = org_audit_entry(ctx, who->user_id, who->display_name, "team.visibility", team_id, b,
                              a, &audit);
    if (!err)
        err = store_team_set_visibility(ctx->store, team_id, is_public, &audit);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "team '%s' not found", team_id);
    org_audit_entry_free(&audit);
    json_decref(b);
    json_decref(a);
    return err;
}

static const char *role_name(int role)
{
    return role == SB_ROLE_OWNER ? "owner" : role == SB_ROLE_GUEST ? "guest" : "member";
}

sb_err teams_member_set_role(struct sb_ctx *ctx, const struct sb_principal *who,
                             const char *team_id, const char *membership_id, int role,
                             struct sb_member *out, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, membership_id};
    struct sb_audit audit = {0};
    json_t *b = NULL, *a = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = sb_can(ctx, who, SB_ACT_MEMBER_UPDATE, &res, diag);
    if (err)
        return err;
    if (role < SB_ROLE_GUEST || role > SB_ROLE_OWNER)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "roles is not valid");
    err = store_member_get(ctx->store, team_id, membership_id, out);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "membership '%s' not found", membership_id);
    if (err || out->role == role)
        return err;
    b = json_pack("{s:s,s:s}", "userId", out->user_id, "role", role_name(out->role));
    a = json_pack("{s:s,s:s}", "userId", out->user_id, "role", role_name(role));
    if (!b || !a)
        err = SB_ERR_NOMEM;
    else
        err = org_audit_entry(ctx, who->user_id, who->display_name, "team.memberRole", team_id, b,
                              a, &audit);
    if (!err)
        err = store_member_set_role(ctx->store, team_id, membership_id, role, &audit);
    if (!err)
        out->role = role;
    if (err == SB_ERR_CONFLICT)
        sb_fail(diag, err, "Conflict",
                "a team must keep at least one owner; add another owner first");
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "membership '%s' not found", membership_id);
    org_audit_entry_free(&audit);
    json_decref(b);
    json_decref(a);
    return err;
}
