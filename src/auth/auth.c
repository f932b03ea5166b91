/*
 * auth.c: users, passwords, tokens and sessions.
 */
#include "auth/auth.h"
#include "auth/perm.h"

#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"
#include "store/store.h"
#include "store/users.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN_UPN "admin"

static void hash_secret(const char *secret, unsigned char out[32])
{
    crypto_hash_sha256(out, (const unsigned char *)secret, strlen(secret));
}

/* 32 random bytes as "sb_" + base64url (43 characters). */
static void new_secret(struct sb_ctx *ctx, char *out)
{
    unsigned char raw[32];

    sb_random(ctx, raw, sizeof(raw));
    memcpy(out, "sb_", 4); /* the base64 text then overwrites the terminator */
    sodium_bin2base64(out + 3, AUTH_SECRET_LEN - 3 + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

static bool upn_valid(const char *upn)
{
    for (const char *p = upn; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '\'' || *p == '"' || *p == '/' || *p == '\\')
            return false;
    return true;
}

sb_err auth_user_create(struct sb_ctx *ctx, const struct auth_new_user *in, struct sb_user *out,
                        struct sb_diag *diag)
{
    char hash[crypto_pwhash_STRBYTES];
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!upn_valid(in->upn))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "userPrincipalName must not contain spaces, quotes or slashes");
    if (in->password) {
        err = auth_password_check(in->password, in->upn, "passwordProfile.password", diag);
        if (err)
            return err;
        if (crypto_pwhash_str(hash, in->password, strlen(in->password),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return SB_ERR_NOMEM;
    }
    sb_id_new(ctx, out->id);
    snprintf(out->upn, sizeof(out->upn), "%s", in->upn);
    snprintf(out->display_name, sizeof(out->display_name), "%s", in->display_name);
    out->is_admin = in->is_admin;
    out->enabled = true;
    sb_time_now(ctx, out->created);
    err = store_user_insert(ctx->store, out, in->password ? hash : NULL);
    if (err == SB_ERR_CONFLICT)
        return sb_fail(diag, err, "conflict", "a user with userPrincipalName '%s' already exists",
                       in->upn);
    return err;
}

sb_err auth_login(struct sb_ctx *ctx, const char *upn, const char *password, struct sb_user *out,
                  struct sb_diag *diag)
{
    char *hash = NULL;
    sb_err err = store_user_by_upn(ctx->store, upn, out, &hash);

    if (ctx->metrics && (err == SB_OK || err == SB_ERR_NOT_FOUND))
        atomic_fetch_add_explicit(&ctx->metrics->password_hashes, 1, memory_order_relaxed);
    if (err == SB_ERR_NOT_FOUND || (!err && !hash)) {
        /* Spend the time a real check would take, so timing does not reveal which UPNs exist. */
        char dummy[crypto_pwhash_STRBYTES];
        err =
            crypto_pwhash_str(dummy, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
                ? SB_ERR_UNAUTHORIZED
                : SB_ERR_NOMEM;
    } else if (!err && crypto_pwhash_str_verify(hash, password, strlen(password)) != 0) {
        err = SB_ERR_UNAUTHORIZED;
    }
    free(hash);
    if (err == SB_ERR_UNAUTHORIZED)
        return sb_fail(diag, err, "InvalidAuthenticationToken",
                       "the user name or password is incorrect");
    /* Said only to whoever knows the password: the account exists but may not sign in. */
    if (!err && !out->enabled)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "AccountDisabled",
                       "this account is disabled; ask an administrator to enable it");
    return err;
}

/* Stores a credential; replace: instead of every credential of that kind of the user, in the
 * same transaction. */
static sb_err credential_insert(struct sb_ctx *ctx, const char *user_id, int kind,
                                const char *secret, int64_t ttl_ms, const char *csrf, bool replace)
{
    struct sb_token t;

    memset(&t, 0, sizeof(t));
    sb_id_new(ctx, t.id);
    snprintf(t.user_id, sizeof(t.user_id), "%s", user_id);
    t.kind = kind;
    hash_secret(secret, t.hash);
    t.expires_ms = ttl_ms ? sb_now_ms(ctx) + ttl_ms : 0;
    if (csrf)
        snprintf(t.csrf, sizeof(t.csrf), "%s", csrf);
    sb_time_now(ctx, t.created);
    return replace ? store_token_replace_kind(ctx->store, &t) : store_token_insert(ctx->store, &t);
}

sb_err auth_token_issue(struct sb_ctx *ctx, const char *user_id, int64_t ttl_s, char *secret)
{
    new_secret(ctx, secret);
    return credential_insert(ctx, user_id, SB_TOKEN_API, secret,
                             (ttl_s > 0 ? ttl_s : AUTH_TOKEN_TTL_S) * 1000, NULL, false);
}

sb_err auth_session_start(struct sb_ctx *ctx, const char *user_id, char *secret, char *csrf)
{
    unsigned char raw[32];

    new_secret(ctx, secret);
    sb_random(ctx, raw, sizeof(raw));
    sb_hex(raw, sizeof(raw), csrf);
    return credential_insert(ctx, user_id, SB_TOKEN_SESSION, secret, AUTH_SESSION_TTL_MS, csrf,
                             false);
}

sb_err auth_authenticate(struct sb_ctx *ctx, const char *secret, bool is_session,
                         struct sb_principal *out)
{
    unsigned char hash[32];
    struct sb_token t;
    struct sb_user u;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!secret || !*secret || strlen(secret) > 512)
        return SB_ERR_UNAUTHORIZED;
    hash_secret(secret, hash);
    err = store_token_by_hash(ctx->store, hash, &t);
    if (err == SB_ERR_NOT_FOUND)
        return SB_ERR_UNAUTHORIZED;
    if (err)
        return err;
    if (sodium_memcmp(hash, t.hash, sizeof(hash)) != 0)
        return SB_ERR_UNAUTHORIZED;
    if ((t.kind == SB_TOKEN_SESSION) != is_session)
        return SB_ERR_UNAUTHORIZED;
    if (t.expires_ms && t.expires_ms <= sb_now_ms(ctx))
        return SB_ERR_UNAUTHORIZED;
    err = store_user_get(ctx->store, t.user_id, &u);
    if (err == SB_ERR_NOT_FOUND || (!err && !u.enabled))
        return SB_ERR_UNAUTHORIZED;
    if (err)
        return err;
    /* lastUsedDateTime, at most once a minute per credential; a lost write is not an error. */
    if (sb_now_ms(ctx) - t.last_used_ms >= AUTH_TOUCH_MS &&
        store_token_touch(ctx->store, t.id, sb_now_ms(ctx)) != SB_OK)
        sb_log_warn("cannot record the use of credential %s", t.id);
    memcpy(out->user_id, u.id, sizeof(out->user_id));
    memcpy(out->display_name, u.display_name, sizeof(out->display_name));
    memcpy(out->upn, u.upn, sizeof(out->upn));
    out->is_admin = u.is_admin;
    out->is_guest = u.is_guest;
    /* The bootstrap token is the installation's own (SWITCHBOARD_ADMIN_TOKEN), not a password's:
     * a reset of the admin's password does not stop scripts that use it. */
    out->must_change_password = u.must_change && t.kind != SB_TOKEN_BOOTSTRAP;
    out->via_session = is_session;
    memcpy(out->credential_id, t.id, sizeof(out->credential_id));
    memcpy(out->csrf, t.csrf, sizeof(out->csrf));
    return SB_OK;
}

sb_err auth_logout(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (!err)
        err = store_token_delete(ctx->store, who->credential_id);
    return err == SB_ERR_NOT_FOUND ? SB_OK : err;
}

bool auth_csrf_check(const struct sb_principal *who, const char *presented)
{
    size_t n = strlen(who->csrf);

    if (!presented || n == 0 || strlen(presented) != n)
        return false;
    return sodium_memcmp(who->csrf, presented, n) == 0;
}

static sb_err ensure_admin(struct sb_ctx *ctx, const char *password, struct sb_user *out,
                           struct sb_diag *diag)
{
    struct auth_new_user nu = {"Administrator", ADMIN_UPN, password, true};
    sb_err err = store_user_by_upn(ctx->store, ADMIN_UPN, out, NULL);

    if (err == SB_ERR_NOT_FOUND)
        return auth_user_create(ctx, &nu, out, diag);
    if (!err && !out->is_admin)
        err = store_user_set_admin(ctx->store, out->id, true);
    return err;
}

sb_err auth_bootstrap_token(struct sb_ctx *ctx, const char *token, struct sb_diag *diag)
{
    struct sb_user admin = {0};
    sb_err err;

    if (strlen(token) < 16)
        return sb_fail(diag, SB_ERR_INVALID, "usage",
                       "SWITCHBOARD_ADMIN_TOKEN must be at least 16 characters");
    err = ensure_admin(ctx, NULL, &admin, diag);
    /* The old bootstrap token goes only if the new one is stored: one transaction. */
    if (!err)
        err = credential_insert(ctx, admin.id, SB_TOKEN_BOOTSTRAP, token, 0, NULL, true);
    if (err == SB_ERR_CONFLICT)
        return sb_fail(diag, err, "conflict",
                       "SWITCHBOARD_ADMIN_TOKEN is already in use by another credential");
    return err;
}

sb_err auth_bootstrap_first_admin(struct sb_ctx *ctx, char *password, size_t cap, bool *created,
                                  struct sb_diag *diag)
{
    unsigned char raw[18];
    struct sb_user admin = {0};
    char *done = NULL;
    sb_err err;

    *created = false;
    err = store_meta_get(ctx->store, "first_start", &done);
    free(done);
    if (err != SB_ERR_NOT_FOUND)
        return err;
    err = store_user_by_upn(ctx->store, ADMIN_UPN, &admin, NULL);
    if (err == SB_ERR_NOT_FOUND) {
        if (cap < 25)
            return SB_ERR_INVALID;
        sb_random(ctx, raw, sizeof(raw));
        sodium_bin2base64(password, cap, raw, sizeof(raw),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        err = ensure_admin(ctx, password, &admin, diag);
        if (err)
            return err;
        *created = true;
    } else if (err) {
        return err;
    }
    err = store_meta_init(ctx->store, "first_start", "done", &done);
    free(done);
    return err;
}
