/*
 * stream.c: a person's event stream: which teams' events they get (a global administrator
 * every team's, everyone else the teams they belong to; the bus follows membership changes
 * after that).
 */
#include "teams/teams.h"

#include "auth/perm.h"
#include "events/bus.h"
#include "store/teams.h"

#include <stdlib.h>
#include <string.h>

sb_err teams_subscribe(struct sb_ctx *ctx, const struct sb_principal *who, int64_t after,
                       const struct events_transport *t, struct events_sub **out,
                       struct sb_diag *diag)
{
    struct sb_team *teams = NULL;
    sb_id *ids = NULL;
    size_t n = 0;
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    *out = NULL;
    if (err)
        return err;
    if (!who->is_admin) {
        err = store_team_list_for_user(ctx->store, who->user_id, &teams, &n);
        if (err)
            goto out;
        ids = calloc(n ? n : 1, sizeof(*ids));
        if (!ids) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            memcpy(ids[i], teams[i].id, sizeof(sb_id));
    }
    err = events_subscribe(ctx->bus, who->user_id, who->is_admin, ids, n, after, t, out);
out:
    free(teams);
    free(ids);
    return err;
}
