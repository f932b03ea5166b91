/*
 * token.c: application tokens of Graph connector apps (OAuth 2.0 client credentials) and their
 * use as bearer tokens.
 *
 * A token is an RS256 JWT from jwt_sign: iss = the public URL, aud = the resource of the
 * requested scope ("<resource>/.default": the public URL, https://graph.microsoft.com or Graph's
 * app id, so that apps written for Graph keep their scope), appid/azp/sub/oid = the client id,
 * tid = the installation's tenant, roles = ExternalConnection.ReadWrite.OwnedBy and
 * ExternalItem.ReadWrite.OwnedBy, a lifetime of 3599 s. Presented back, it is verified
 * (jwt_verify), its audience checked, and the registration must still exist.
 */
#include "graphconn/graphconn.h"

#include "auth/jwt.h"
#include "core/config.h"
#include "store/graphconn.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define GRAPH_RESOURCE "https://graph.microsoft.com"
#define GRAPH_APP_ID "00000003-0000-0000-c000-000000000000"

static bool known_audience(const struct sb_ctx *ctx, const char *aud, size_t len)
{
    const char *ok[] = {ctx->cfg->public_url, GRAPH_RESOURCE, GRAPH_APP_ID};

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        size_t n = strlen(ok[i]);

        /* with or without a trailing slash */
        if ((len == n || (len == n + 1 && aud[n] == '/')) && !strncasecmp(aud, ok[i], n))
            return true;
    }
    return false;
}

#define JWT_BEARER "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

sb_err gc_token_issue(struct sb_ctx *ctx, const struct gc_credentials *cr, char **token,
                      int *expires_in, struct sb_oauth_error *e)
{
    struct sb_gc_registration reg;
    char aud[600];
    const char *dflt, *scope = cr->scope;
    json_t *claims;
    int64_t now;
    sb_err err;

    *token = NULL;
    if (!cr->client_id || (!cr->secret && !cr->assertion) ||
        (cr->assertion && (!cr->assertion_type || strcmp(cr->assertion_type, JWT_BEARER) != 0))) {
        snprintf(e->error, sizeof(e->error), "invalid_request");
        snprintf(e->description, sizeof(e->description),
                 "client_id and client_secret (or client_assertion with client_assertion_type "
                 "%s) are required",
                 JWT_BEARER);
        return SB_ERR_INVALID;
    }
    dflt = scope ? strstr(scope, "/.default") : NULL;
    if (!dflt || dflt[9] != '\0' || (size_t)(dflt - scope) >= sizeof(aud) ||
        !known_audience(ctx, scope, (size_t)(dflt - scope))) {
        snprintf(e->error, sizeof(e->error), "invalid_scope");
        snprintf(e->description, sizeof(e->description),
                 "scope must be <resource>/.default with the resource %s or %s",
                 ctx->cfg->public_url, GRAPH_RESOURCE);
        return SB_ERR_INVALID;
    }
    snprintf(aud, sizeof(aud), "%.*s", (int)(dflt - scope), scope);
    err = gc_registration_find(ctx, cr->client_id, &reg);
    if (!err)
        err = cr->assertion ? gc_assertion_check(ctx, &reg, cr->assertion, cr->endpoint)
                            : gc_secret_check(&reg, cr->secret);
    if (err == SB_ERR_CONFLICT) {
        snprintf(e->error, sizeof(e->error), "invalid_client");
        snprintf(e->description, sizeof(e->description),
                 "the client assertion was already used (its jti has been seen before): sign a "
                 "new assertion for every token request");
        err = SB_ERR_UNAUTHORIZED;
    } else if (err == SB_ERR_UNAUTHORIZED) {
        snprintf(e->error, sizeof(e->error), "invalid_client");
        snprintf(e->description, sizeof(e->description),
                 cr->assertion ? "unknown client, or the client assertion is not valid"
                               : "unknown client or wrong secret");
    }
    if (err)
        return err;
    now = sb_now_ms(ctx) / 1000;
    claims = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:[s,s],s:s,s:s}", "aud", aud,
                       "iss", ctx->cfg->public_url, "appid", reg.id, "azp", reg.id, "sub", reg.id,
                       "oid", reg.id, "tid", ctx->tenant_id, "iat", (json_int_t)now, "nbf",
                       (json_int_t)now, "exp", (json_int_t)now + GC_TOKEN_LIFETIME_S, "roles",
                       "ExternalConnection.ReadWrite.OwnedBy", "ExternalItem.ReadWrite.OwnedBy",
                       "ver", "2.0", "idtyp", "app");
    if (!claims)
        return SB_ERR_NOMEM;
    err = jwt_sign(ctx, claims, token);
    json_decref(claims);
    *expires_in = GC_TOKEN_LIFETIME_S;
    return err;
}

sb_err gc_authenticate(struct sb_ctx *ctx, const char *token, struct sb_principal *out)
{
    struct sb_gc_registration reg;
    json_t *claims = NULL, *roles;
    const char *aud, *appid;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if ((err = jwt_verify(ctx, token, &claims)))
        return err;
    aud = json_string_value(json_object_get(claims, "aud"));
    appid = json_string_value(json_object_get(claims, "appid"));
    roles = json_object_get(claims, "roles");
    if (!aud || !appid || !json_is_array(roles) || !known_audience(ctx, aud, strlen(aud))) {
        err = SB_ERR_UNAUTHORIZED;
        goto out;
    }
    err = store_gc_registration_get(ctx->store, appid, &reg);
    if (err == SB_ERR_NOT_FOUND)
        err = SB_ERR_UNAUTHORIZED;
    if (err)
        goto out;
    out->is_app = true;
    snprintf(out->user_id, sizeof(out->user_id), "%s", reg.id);
    snprintf(out->display_name, sizeof(out->display_name), "%s", reg.display_name);
    for (size_t i = 0; i < json_array_size(roles); i++) {
        const char *r = json_string_value(json_array_get(roles, i));

        if (r && !strcmp(r, "ExternalConnection.ReadWrite.OwnedBy"))
            out->roles |= AUTH_ROLE_EXTERNAL_CONNECTION;
        if (r && !strcmp(r, "ExternalItem.ReadWrite.OwnedBy"))
            out->roles |= AUTH_ROLE_EXTERNAL_ITEM;
    }
out:
    json_decref(claims);
    return err;
}
