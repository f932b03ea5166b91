/*
 * admin.c: administrators' services over org/ (see admin.h).
 */
#include "admin/admin.h"

#include "auth/perm.h"
#include "org/org.h"
#include "store/admin.h"

#include <stdlib.h>

sb_err admin_org_get(struct sb_ctx *ctx, const struct sb_principal *who, json_t **out,
                     struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    *out = NULL;
    return err ? err : org_settings_render(ctx, out);
}

sb_err admin_org_patch(struct sb_ctx *ctx, const struct sb_principal *who, json_t *patch,
                       json_t **out, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    *out = NULL;
    if (!err)
        err = org_settings_patch(ctx, who->user_id, who->display_name, patch, diag);
    if (!err)
        err = org_settings_render(ctx, out);
    return err;
}

sb_err admin_team_switch(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         int enabled, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    return err ? err
               : org_team_switch(ctx, who->user_id, who->display_name, team_id, enabled, diag);
}

sb_err admin_audit_page(struct sb_ctx *ctx, const struct sb_principal *who, int64_t before,
                        const struct sb_audit_filter *filter, size_t limit, struct sb_audit **out,
                        size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    *out = NULL;
    *n = 0;
    return err ? err : org_audit_page(ctx, before, filter, limit, out, n);
}

sb_err admin_teams(struct sb_ctx *ctx, const struct sb_principal *who,
                   struct sb_team_overview **out, size_t *n, struct sb_team_owner **owners,
                   size_t *nowners, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    *out = NULL;
    *n = 0;
    *owners = NULL;
    *nowners = 0;
    if (err)
        goto out;
    if ((err = store_admin_teams(ctx->store, ADMIN_TEAMS_MAX, out, n)))
        goto out;
    err = store_admin_owners(ctx->store, owners, nowners);
out:
    if (err) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return err;
}

sb_err admin_impact(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_impact *out,
                    struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    *out = (struct sb_impact){{0, 0}, {0, 0}, {0, 0}};
    return err ? err : store_admin_impact(ctx->store, out);
}
