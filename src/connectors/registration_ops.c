/*
 * registration_ops.c: registrations as handlers read and use them (registration_ops.h).
 */
#include "connectors/registration_ops.h"

#include "auth/perm.h"
#include "store/registrations.h"
#include "store/teams.h"

#include <string.h>

sb_err registration_find(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                         bool change, struct sb_registration *out, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (err)
        return err;
    err = store_registration_get(ctx->store, id, out);
    if (!err && !who->is_admin && strcmp(out->created_by, who->user_id) != 0)
        err = SB_ERR_NOT_FOUND;
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "connector registration '%.64s' not found", id);
    if (!err && change)
        err = sb_can(ctx, who, SB_ACT_CONNECTOR_REGISTER, NULL, diag);
    return err;
}

sb_err registration_list_for(struct sb_ctx *ctx, const struct sb_principal *who,
                             struct sb_registration **out, size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (!err)
        err = store_registration_list(ctx->store, who->is_admin ? NULL : who->user_id, out, n);
    return err;
}

bool registration_may_register(struct sb_ctx *ctx, const struct sb_principal *who)
{
    return sb_can(ctx, who, SB_ACT_CONNECTOR_REGISTER, NULL, NULL) == SB_OK;
}

sb_err registration_package(struct sb_ctx *ctx, const struct sb_registration *r, void **data,
                            size_t *len)
{
    return store_registration_blob(ctx->store, r->id, STORE_REG_PACKAGE, data, len);
}

sb_err registration_test_card_post(struct sb_ctx *ctx, const struct sb_principal *who,
                                   const struct sb_registration *r, const char *channel_id,
                                   struct sb_message *out, struct sb_diag *diag)
{
    struct sb_resource res = {NULL, NULL, NULL};
    struct sb_channel ch;
    sb_err err = store_channel_get(ctx->store, channel_id, &ch);

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "channel '%.64s' not found", channel_id);
    if (err)
        return err;
    res.team_id = ch.team_id;
    res.channel_id = ch.id;
    err = sb_can(ctx, who, SB_ACT_CONNECTOR_CREATE, &res, diag);
    if (!err)
        err = registration_test_card(ctx, who, r, ch.team_id, ch.id, out, diag);
    return err;
}
