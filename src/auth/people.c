/*
 * people.c: the directory as administrators and people use it (search, changes, removal),
 * passwords (change, administrator's reset, the command line's one-time password) and the
 * caller's own credentials (API tokens and web sessions). Each function asks sb_can itself.
 *
 * A deleted user stays as a row (a former member: messages keep their sender, reactions their
 * name, connectors their creator and keep posting, as in the seeds' continuity rule); the store
 * frees the UPN and hides the row from every read.
 */
#include "auth/auth.h"
#include "auth/perm.h"

#include "core/ids.h"
#include "core/json.h"
#include "org/org.h"
#include "store/users.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_MAX 999 /* Graph's largest $top for users */

sb_err auth_user_find(struct sb_ctx *ctx, const struct sb_principal *who, const char *search,
                      int64_t top, struct sb_user **out, size_t *n, bool *full,
                      struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_USER_READ, NULL, diag);

    *out = NULL;
    *n = 0;
    *full = who && who->is_admin;
    if (err)
        return err;
    if (search && strlen(search) > SB_NAME_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "BadRequest", "$search is too long");
    err = store_user_search(ctx->store, search, top > 0 && top <= TOP_MAX ? top : TOP_MAX, out, n);
    return err;
}

static sb_err hash_password(const char *password, char hash[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? SB_OK
               : SB_ERR_NOMEM;
}

/* What the audit log keeps of a user: never a password or its hash. */
static json_t *audit_view(const struct sb_user *u)
{
    return json_pack("{s:s,s:s,s:b,s:b,s:b}", "userPrincipalName", u->upn, "displayName",
                     u->display_name, "accountEnabled", u->enabled, "globalAdministrator",
                     u->is_admin, "guest", u->is_guest);
}

/* The entry for a change of the user `before` (after: NULL for a deletion). */
static sb_err write_audit(struct sb_ctx *ctx, const struct sb_principal *who, const char *action,
                          const struct sb_user *before, const struct sb_user *after,
                          struct sb_audit *out)
{
    json_t *b = audit_view(before), *a = after ? audit_view(after) : NULL;
    sb_err err = !b || (after && !a)
                     ? SB_ERR_NOMEM
                     : org_audit_entry(ctx, who ? who->user_id : "",
                                       who ? who->display_name : "switchboard admin", action,
                                       before->id, b, a, out);

    json_decref(b);
    json_decref(a);
    return err;
}

static sb_err find_user(struct sb_ctx *ctx, const char *user_id, struct sb_user *out,
                        struct sb_diag *diag)
{
    sb_err err = store_user_get(ctx->store, user_id, out);

    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "Request_ResourceNotFound", "user '%s' not found", user_id);
    return err;
}

sb_err auth_user_update(struct sb_ctx *ctx, const struct sb_principal *who, const char *user_id,
                        const struct auth_user_patch *in, struct sb_diag *diag)
{
    char hash[crypto_pwhash_STRBYTES];
    struct sb_user_change ch = {in->display_name, in->enabled, in->is_admin, in->is_guest, -1, NULL,
                                SB_CREDS_KEEP,    NULL};
    struct sb_user before = {0}, after;
    struct sb_audit audit = {0};
    sb_err err = sb_can(ctx, who, SB_ACT_USER_MANAGE, NULL, diag);

    if (!err)
        err = find_user(ctx, user_id, &before, diag);
    if (err)
        return err;
    if (strcmp(user_id, who->user_id) == 0 && (in->enabled == 0 || in->is_admin == 0))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "you cannot disable your own account or remove your own administrator "
                       "role: ask another administrator");
    if (in->display_name && (!*in->display_name || strlen(in->display_name) > SB_NAME_MAX))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "displayName must be 1 to %d bytes",
                       SB_NAME_MAX);
    if (in->password) {
        err = auth_password_check(in->password, before.upn, "passwordProfile.password", diag);
        if (!err)
            err = hash_password(in->password, hash);
        if (err)
            return err;
        ch.password_hash = hash;
        ch.must_change = in->force_change;
    }
    /* A disabled account or a password someone else set: every credential ends at once. */
    if (in->enabled == 0 || in->password)
        ch.end_credentials = SB_CREDS_END_OTHERS;
    if (in->enabled == 0)
        ch.end_credentials = SB_CREDS_END_ALL;
    after = before;
    if (in->display_name)
        snprintf(after.display_name, sizeof(after.display_name), "%s", in->display_name);
    if (in->enabled >= 0)
        after.enabled = in->enabled;
    if (in->is_admin >= 0)
        after.is_admin = in->is_admin;
    if (in->is_guest >= 0)
        after.is_guest = in->is_guest;
    err = write_audit(ctx, who, in->password ? "user.resetPassword" : "user.update", &before,
                      &after, &audit);
    if (!err)
        err = store_user_update(ctx->store, user_id, &ch, &audit);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "Request_ResourceNotFound", "user '%s' not found", user_id);
    org_audit_entry_free(&audit);
    sodium_memzero(hash, sizeof(hash));
    return err;
}

sb_err auth_user_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *user_id,
                        struct sb_diag *diag)
{
    struct sb_user before = {0};
    struct sb_audit audit = {0};
    sb_time now;
    sb_err err = sb_can(ctx, who, SB_ACT_USER_MANAGE, NULL, diag);

    if (!err)
        err = find_user(ctx, user_id, &before, diag);
    if (err)
        return err;
    if (strcmp(user_id, who->user_id) == 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "you cannot delete your own account: ask another administrator");
    sb_time_now(ctx, now);
    err = write_audit(ctx, who, "user.delete", &before, NULL, &audit);
    if (!err)
        err = store_user_delete(ctx->store, user_id, now, &audit);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "Request_ResourceNotFound", "user '%s' not found", user_id);
    org_audit_entry_free(&audit);
    return err;
}

sb_err auth_password_change(struct sb_ctx *ctx, const struct sb_principal *who, const char *current,
                            const char *password, struct sb_diag *diag)
{
    char hash[crypto_pwhash_STRBYTES];
    struct sb_user_change ch = {NULL, -1, -1, -1, 0, NULL, SB_CREDS_END_OTHERS, NULL};
    struct sb_user u = {0};
    struct sb_audit audit = {0};
    struct sb_diag ignored;
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (err)
        return err;
    if (who->is_app)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "Forbidden", "applications have no password");
    /* Not 401: that would tell the web client the person is signed out. */
    err = auth_login(ctx, who->upn, current, &u, &ignored);
    if (err == SB_ERR_UNAUTHORIZED || (!err && strcmp(u.id, who->user_id) != 0))
        return sb_fail(diag, SB_ERR_FORBIDDEN, "InvalidPassword",
                       "the current password is not correct");
    if (err)
        return err;
    err = auth_password_check(password, u.upn, "newPassword", diag);
    if (!err && strcmp(password, current) == 0)
        err = sb_fail(diag, SB_ERR_INVALID, "invalidPassword",
                      "newPassword must differ from the current password");
    if (!err)
        err = hash_password(password, hash);
    if (err)
        return err;
    ch.password_hash = hash;
    ch.keep_id = who->credential_id;
    err = write_audit(ctx, who, "user.changePassword", &u, &u, &audit);
    if (!err)
        err = store_user_update(ctx->store, u.id, &ch, &audit);
    org_audit_entry_free(&audit);
    sodium_memzero(hash, sizeof(hash));
    return err;
}

sb_err auth_password_reset(struct sb_ctx *ctx, const char *upn, char *password, size_t cap,
                           struct sb_diag *diag)
{
    char hash[crypto_pwhash_STRBYTES];
    unsigned char raw[18];
    struct sb_user_change ch = {NULL, -1, -1, -1, 1, NULL, SB_CREDS_END_OTHERS, NULL};
    struct sb_user u = {0};
    struct sb_audit audit = {0};
    sb_err err;

    if (cap < 25)
        return SB_ERR_INVALID;
    err = store_user_by_upn(ctx->store, upn, &u, NULL);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "no user with userPrincipalName '%s'", upn);
    if (err)
        return err;
    /* 144 random bits: no policy check needed, and nothing a person chose. */
    sb_random(ctx, raw, sizeof(raw));
    sodium_bin2base64(password, cap, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    err = hash_password(password, hash);
    if (err)
        return err;
    ch.password_hash = hash;
    err = write_audit(ctx, NULL, "user.resetPassword", &u, &u, &audit);
    if (!err)
        err = store_user_update(ctx->store, u.id, &ch, &audit);
    org_audit_entry_free(&audit);
    sodium_memzero(hash, sizeof(hash));
    return err;
}

sb_err auth_credential_list(struct sb_ctx *ctx, const struct sb_principal *who, int kind,
                            struct sb_token **out, size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    *out = NULL;
    *n = 0;
    if (!err && who->is_app)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "Forbidden", "applications have no such credentials");
    if (!err)
        err = store_token_list(ctx->store, who->user_id, kind, sb_now_ms(ctx), out, n);
    return err;
}

sb_err auth_credential_revoke(struct sb_ctx *ctx, const struct sb_principal *who, int kind,
                              const char *id, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (!err && who->is_app)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "Forbidden", "applications have no such credentials");
    if (!err)
        err = store_token_delete_owned(ctx->store, id, who->user_id, kind);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "%s '%s' not found",
                kind == SB_TOKEN_SESSION ? "session" : "token", id);
    return err;
}

sb_err auth_sessions_end_all(struct sb_ctx *ctx, const struct sb_principal *who,
                             struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (!err && who->is_app)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "Forbidden", "applications have no sessions");
    if (!err)
        err = store_token_delete_kind(ctx->store, who->user_id, SB_TOKEN_SESSION);
    return err;
}
