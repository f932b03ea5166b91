/*
 * directory.c: the people directory as handlers read it. Each function asks sb_can itself.
 */
#include "auth/auth.h"
#include "auth/perm.h"
#include "store/users.h"

sb_err auth_me(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_user *out,
               struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (!err)
        err = store_user_get(ctx->store, who->user_id, out);
    return err;
}

sb_err auth_user_list(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_user **out,
                      size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_USER_READ, NULL, diag);

    if (!err)
        err = store_user_list(ctx->store, out, n);
    return err;
}

sb_err auth_user_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *user_id,
                     struct sb_user *out, bool *full, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_USER_READ, NULL, diag);

    *full = who && who->is_admin;
    if (err)
        return err;
    err = store_user_get(ctx->store, user_id, out);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "Request_ResourceNotFound", "user '%s' not found", user_id);
    return err;
}

sb_err auth_user_add(struct sb_ctx *ctx, const struct sb_principal *who,
                     const struct auth_new_user *in, struct sb_user *out, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_USER_CREATE, NULL, diag);

    return err ? err : auth_user_create(ctx, in, out, diag);
}
