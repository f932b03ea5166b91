/*
 * oidc.c: single sign-on with an OpenID provider (see oidc.h).
 */
#include "auth/oidc.h"

#include "auth/auth.h"
#include "auth/jwt.h"
#include "core/config.h"
#include "core/log.h"
#include "net/fetch.h"
#include "net/url.h"
#include "org/org.h"
#include "store/oidc.h"
#include "store/users.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DOC_MAX (256 * 1024) /* discovery document, JWKS, token answer */

/* What the discovery document says (the endpoints are checked URLs, heap). */
struct provider {
    char *authorize, *token, *jwks;
    bool basic; /* client_secret_basic offered (the default when the list is absent) */
};

static void provider_free(struct provider *p)
{
    free(p->authorize);
    free(p->token);
    free(p->jwks);
    memset(p, 0, sizeof(*p));
}

bool oidc_enabled(const struct sb_ctx *ctx)
{
    return ctx->cfg && ctx->cfg->oidc_issuer[0] != '\0';
}

sb_err oidc_providers(struct sb_ctx *ctx, json_t **out)
{
    const struct sb_config *cfg = ctx->cfg;
    json_t *list = json_array();

    *out = NULL;
    if (!list)
        return SB_ERR_NOMEM;
    if (oidc_enabled(ctx) &&
        json_array_append_new(
            list, json_pack("{s:s,s:s}", "id", "oidc", "label",
                            cfg->oidc_name[0] ? cfg->oidc_name : "single sign-on")) != 0) {
        json_decref(list);
        return SB_ERR_NOMEM;
    }
    *out = json_pack("{s:o,s:b}", "value", list, "passwordSignIn",
                     !(oidc_enabled(ctx) && cfg->disable_password_sign_in));
    return *out ? SB_OK : SB_ERR_NOMEM;
}

bool oidc_password_allowed(const struct sb_ctx *ctx, const char *upn)
{
    const struct sb_config *cfg = ctx->cfg;

    if (!cfg || !cfg->disable_password_sign_in || !oidc_enabled(ctx))
        return true;
    return upn && strcasecmp(upn, cfg->break_glass_admin) == 0;
}

/* The issuer as configured, without a trailing slash (the form the discovery URL is built on;
 * iss is compared with the configured text as given, as OpenID Connect Discovery 4.3 says). */
static void issuer_base(const struct sb_ctx *ctx, char *out, size_t cap)
{
    size_t n;

    snprintf(out, cap, "%s", ctx->cfg->oidc_issuer);
    n = strlen(out);
    while (n > 0 && out[n - 1] == '/')
        out[--n] = '\0';
}

sb_err oidc_precheck(struct sb_ctx *ctx, struct sb_diag *diag)
{
    struct fetch_policy policy = {NULL};
    sb_err err;

    if (!oidc_enabled(ctx))
        return sb_fail(diag, SB_ERR_NOT_FOUND, "itemNotFound", "single sign-on is not set up");
    err = org_fetch_policy(ctx, &policy);
    if (!err)
        err = fetch_precheck(&policy, ctx->cfg->oidc_issuer, diag);
    org_fetch_policy_free(&policy);
    return err;
}

/* GET (body NULL) or POST a form to url under the organisation's outbound policy; *doc is the
 * JSON object answered with 200. */
static sb_err call_json(struct sb_ctx *ctx, const char *url, const char *form,
                        const char *const *headers, json_t **doc, struct sb_diag *diag)
{
    struct fetch_policy policy = {NULL};
    struct fetch_request rq;
    struct fetch_response r = {0};
    sb_err err;

    *doc = NULL;
    memset(&rq, 0, sizeof(rq));
    rq.method = form ? "POST" : "GET";
    rq.url = url;
    rq.headers = headers;
    rq.body = form;
    rq.body_len = form ? strlen(form) : 0;
    rq.max_response = DOC_MAX;
    err = org_fetch_policy(ctx, &policy);
    if (!err)
        err = fetch_do(&policy, &rq, &r, diag);
    org_fetch_policy_free(&policy);
    if (err)
        goto out;
    if (r.status != 200) {
        err = sb_fail(diag, SB_ERR_UNAUTHORIZED, "providerRefused",
                      "the identity provider answered %ld", r.status);
        goto out;
    }
    *doc = json_loadb(r.body, r.body_len, 0, NULL);
    if (!json_is_object(*doc)) {
        json_decref(*doc);
        *doc = NULL;
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "providerFailed",
                      "the identity provider answered something other than a JSON object");
    }
out:
    fetch_response_free(&r);
    return err;
}

/* An endpoint of the discovery document: a URL that parses, http(s) (fetch_do applies the
 * outbound rules to it when it is called; the authorization endpoint must be as safe since the
 * browser is sent there). */
static sb_err endpoint(struct sb_ctx *ctx, json_t *doc, const char *name, char **out,
                       struct sb_diag *diag)
{
    const char *v = json_string_value(json_object_get(doc, name));
    struct fetch_policy policy = {NULL};
    sb_err err;

    if (!v || strlen(v) > 2048)
        return sb_fail(diag, SB_ERR_UNAVAILABLE, "providerFailed",
                       "the identity provider's discovery document has no %s", name);
    err = org_fetch_policy(ctx, &policy);
    if (!err)
        err = fetch_precheck(&policy, v, diag);
    org_fetch_policy_free(&policy);
    if (err)
        return err;
    *out = strdup(v);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

static sb_err discover(struct sb_ctx *ctx, struct provider *p, struct sb_diag *diag)
{
    char base[sizeof(ctx->cfg->oidc_issuer)], url[sizeof(base) + 64];
    const char *iss;
    json_t *doc = NULL, *methods;
    sb_err err = oidc_precheck(ctx, diag);

    memset(p, 0, sizeof(*p));
    if (err)
        return err;
    issuer_base(ctx, base, sizeof(base));
    snprintf(url, sizeof(url), "%s/.well-known/openid-configuration", base);
    err = call_json(ctx, url, NULL, NULL, &doc, diag);
    if (err)
        return err;
    iss = json_string_value(json_object_get(doc, "issuer"));
    if (!iss || strcmp(iss, ctx->cfg->oidc_issuer) != 0) {
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "providerFailed",
                      "the identity provider's discovery document names another issuer");
        goto out;
    }
    err = endpoint(ctx, doc, "authorization_endpoint", &p->authorize, diag);
    if (!err)
        err = endpoint(ctx, doc, "token_endpoint", &p->token, diag);
    if (!err)
        err = endpoint(ctx, doc, "jwks_uri", &p->jwks, diag);
    methods = json_object_get(doc, "token_endpoint_auth_methods_supported");
    p->basic = !json_is_array(methods);
    for (size_t i = 0; json_is_array(methods) && i < json_array_size(methods); i++) {
        const char *m = json_string_value(json_array_get(methods, i));
        if (m && strcmp(m, "client_secret_basic") == 0)
            p->basic = true;
    }
out:
    json_decref(doc);
    if (err)
        provider_free(p);
    return err;
}

/* Appends "&name=" and value percent-encoded (everything but RFC 3986 unreserved). */
static sb_err add_param(char **buf, size_t *len, size_t *cap, bool first, const char *name,
                        const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t need = *len + strlen(name) + 3 * strlen(value) + 3;

    if (need > *cap) {
        size_t ncap = need * 2;
        char *nb = realloc(*buf, ncap);
        if (!nb)
            return SB_ERR_NOMEM;
        *buf = nb;
        *cap = ncap;
    }
    *len += (size_t)sprintf(*buf + *len, "%s%s=", first ? "" : "&", name);
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            (*buf)[(*len)++] = (char)*p;
        } else {
            (*buf)[(*len)++] = '%';
            (*buf)[(*len)++] = hex[*p >> 4];
            (*buf)[(*len)++] = hex[*p & 15];
        }
    }
    (*buf)[*len] = '\0';
    return SB_OK;
}

/* 32 random bytes in base64url (43 characters: also a valid PKCE verifier). */
static void random_text(struct sb_ctx *ctx, char *out)
{
    unsigned char raw[32];

    sb_random(ctx, raw, sizeof(raw));
    sodium_bin2base64(out, OIDC_STATE_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

/* The hex SHA-256 of a state: the key it is stored under (the state itself is not stored). */
static void state_key(const char *state, char *out /* 65 */)
{
    unsigned char h[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(h, (const unsigned char *)state, strlen(state));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

static void redirect_uri(const struct sb_ctx *ctx, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", ctx->cfg->public_url, OIDC_CALLBACK_PATH);
}

sb_err oidc_start(struct sb_ctx *ctx, char **location, char *state, struct sb_diag *diag)
{
    struct provider p;
    char nonce[OIDC_STATE_LEN + 1], verifier[OIDC_STATE_LEN + 1], challenge[OIDC_STATE_LEN + 1];
    char key[65], redirect[600];
    unsigned char h[crypto_hash_sha256_BYTES];
    char *url = NULL;
    size_t len, cap;
    int64_t now = sb_now_ms(ctx);
    sb_err err;

    *location = NULL;
    state[0] = '\0';
    err = discover(ctx, &p, diag);
    if (err)
        return err;
    random_text(ctx, state);
    random_text(ctx, nonce);
    random_text(ctx, verifier);
    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(challenge, sizeof(challenge), h, sizeof(h),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    state_key(state, key);
    err = store_oidc_login_put(ctx->store, key, nonce, verifier, now + OIDC_LOGIN_TTL_MS, now);
    if (err)
        goto out;
    redirect_uri(ctx, redirect, sizeof(redirect));
    len = strlen(p.authorize);
    cap = len + 1024;
    if (!(url = malloc(cap))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    memcpy(url, p.authorize, len + 1);
    url[len++] = strchr(p.authorize, '?') ? '&' : '?';
    url[len] = '\0';
    err = add_param(&url, &len, &cap, true, "response_type", "code");
    if (!err)
        err = add_param(&url, &len, &cap, false, "client_id", ctx->cfg->oidc_client_id);
    if (!err)
        err = add_param(&url, &len, &cap, false, "redirect_uri", redirect);
    if (!err)
        err = add_param(&url, &len, &cap, false, "scope", "openid profile email");
    if (!err)
        err = add_param(&url, &len, &cap, false, "state", state);
    if (!err)
        err = add_param(&url, &len, &cap, false, "nonce", nonce);
    if (!err)
        err = add_param(&url, &len, &cap, false, "code_challenge", challenge);
    if (!err)
        err = add_param(&url, &len, &cap, false, "code_challenge_method", "S256");
    if (!err) {
        *location = url;
        url = NULL;
    }
out:
    sodium_memzero(verifier, sizeof(verifier));
    free(url);
    provider_free(&p);
    if (err)
        state[0] = '\0';
    return err;
}

/* "Basic base64(urlencode(id):urlencode(secret))" (RFC 6749 2.3.1) as a header line. */
static sb_err basic_header(const struct sb_ctx *ctx, char **line)
{
    char *pair = NULL;
    size_t len = 0, cap = 0, b64;
    sb_err err = add_param(&pair, &len, &cap, true, "u", ctx->cfg->oidc_client_id);

    *line = NULL;
    if (!err)
        err = add_param(&pair, &len, &cap, false, "p", ctx->cfg->oidc_client_secret);
    if (err)
        goto out;
    /* "u=<id>&p=<secret>" -> "<id>:<secret>" */
    {
        char *amp = strstr(pair, "&p=");
        memmove(pair, pair + 2, (size_t)(amp - pair) - 2);
        pair[amp - pair - 2] = ':';
        memmove(pair + (amp - pair) - 1, amp + 3, strlen(amp + 3) + 1);
    }
    b64 = sodium_base64_encoded_len(strlen(pair), sodium_base64_VARIANT_ORIGINAL);
    if (!(*line = malloc(b64 + 32))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    memcpy(*line, "Authorization: Basic ", 22);
    sodium_bin2base64(*line + 21, b64, (const unsigned char *)pair, strlen(pair),
                      sodium_base64_VARIANT_ORIGINAL);
out:
    if (pair)
        sodium_memzero(pair, strlen(pair));
    free(pair);
    return err;
}

/* Exchanges the code for the ID token (heap). */
static sb_err exchange(struct sb_ctx *ctx, const struct provider *p, const char *code,
                       const char *verifier, char **id_token, struct sb_diag *diag)
{
    char redirect[600];
    char *form = NULL, *auth = NULL;
    size_t len = 0, cap = 0;
    const char *headers[4] = {"Content-Type: application/x-www-form-urlencoded",
                              "Accept: application/json", NULL, NULL};
    const char *tok;
    json_t *doc = NULL;
    sb_err err;

    *id_token = NULL;
    redirect_uri(ctx, redirect, sizeof(redirect));
    err = add_param(&form, &len, &cap, true, "grant_type", "authorization_code");
    if (!err)
        err = add_param(&form, &len, &cap, false, "code", code);
    if (!err)
        err = add_param(&form, &len, &cap, false, "redirect_uri", redirect);
    if (!err)
        err = add_param(&form, &len, &cap, false, "code_verifier", verifier);
    if (!err && p->basic)
        err = basic_header(ctx, &auth);
    else if (!err) {
        err = add_param(&form, &len, &cap, false, "client_id", ctx->cfg->oidc_client_id);
        if (!err)
            err =
                add_param(&form, &len, &cap, false, "client_secret", ctx->cfg->oidc_client_secret);
    }
    headers[2] = auth;
    if (!err)
        err = call_json(ctx, p->token, form, headers, &doc, diag);
    if (err == SB_ERR_UNAUTHORIZED)
        sb_fail(diag, err, "codeRefused",
                "the identity provider refused the sign-in code (used before, or expired)");
    if (err)
        goto out;
    tok = json_string_value(json_object_get(doc, "id_token"));
    if (!tok || !(*id_token = strdup(tok)))
        err = tok ? SB_ERR_NOMEM
                  : sb_fail(diag, SB_ERR_UNAUTHORIZED, "tokenInvalid",
                            "the identity provider answered without an ID token");
out:
    if (form)
        sodium_memzero(form, strlen(form));
    if (auth)
        sodium_memzero(auth, strlen(auth));
    free(form);
    free(auth);
    json_decref(doc);
    return err;
}

/* The claims of an ID token that concern us, checked: iss, aud (and azp when there are several
 * audiences), exp, nonce. */
static sb_err check_claims(struct sb_ctx *ctx, json_t *claims, const char *nonce,
                           struct sb_diag *diag)
{
    const char *iss = json_string_value(json_object_get(claims, "iss"));
    const char *got_nonce = json_string_value(json_object_get(claims, "nonce"));
    const char *client = ctx->cfg->oidc_client_id;
    json_t *aud = json_object_get(claims, "aud"), *exp = json_object_get(claims, "exp");
    bool aud_ok = false;
    int64_t now_s = sb_now_ms(ctx) / 1000;

    if (!iss || strcmp(iss, ctx->cfg->oidc_issuer) != 0)
        return sb_fail(diag, SB_ERR_UNAUTHORIZED, "tokenInvalid",
                       "the ID token comes from another issuer");
    if (json_is_string(aud)) {
        aud_ok = strcmp(json_string_value(aud), client) == 0;
    } else if (json_is_array(aud)) {
        const char *azp = json_string_value(json_object_get(claims, "azp"));
        for (size_t i = 0; i < json_array_size(aud); i++) {
            const char *a = json_string_value(json_array_get(aud, i));
            if (a && strcmp(a, client) == 0)
                aud_ok = true;
        }
        if (json_array_size(aud) > 1 && (!azp || strcmp(azp, client) != 0))
            aud_ok = false;
    }
    if (!aud_ok)
        return sb_fail(diag, SB_ERR_UNAUTHORIZED, "tokenInvalid",
                       "the ID token is meant for another client");
    if (!json_is_integer(exp) || json_integer_value(exp) + JWT_SKEW_S <= now_s)
        return sb_fail(diag, SB_ERR_UNAUTHORIZED, "tokenInvalid", "the ID token has expired");
    if (!got_nonce || strlen(got_nonce) != strlen(nonce) ||
        sodium_memcmp(got_nonce, nonce, strlen(nonce)) != 0)
        return sb_fail(diag, SB_ERR_UNAUTHORIZED, "tokenInvalid",
                       "the ID token does not answer this sign-in (nonce)");
    return SB_OK;
}

/* Verifies the ID token against the provider's JWKS and its claims. */
static sb_err verify(struct sb_ctx *ctx, const struct provider *p, const char *id_token,
                     const char *nonce, json_t **claims, struct sb_diag *diag)
{
    json_t *jwks = NULL;
    sb_err err = call_json(ctx, p->jwks, NULL, NULL, &jwks, diag);

    *claims = NULL;
    if (err == SB_ERR_UNAUTHORIZED)
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "providerFailed",
                      "the identity provider's keys cannot be read");
    if (!err && jwt_verify_jwks(id_token, jwks, claims) != SB_OK)
        err = sb_fail(diag, SB_ERR_UNAUTHORIZED, "tokenInvalid",
                      "the ID token's signature does not verify with the provider's keys");
    if (!err)
        err = check_claims(ctx, *claims, nonce, diag);
    if (err) {
        json_decref(*claims);
        *claims = NULL;
    }
    json_decref(jwks);
    return err;
}

/* The account of the token's person: by preferred_username, then by a verified email. */
static sb_err match_user(struct sb_ctx *ctx, json_t *claims, struct sb_user *u,
                         struct sb_diag *diag)
{
    const char *names[2] = {json_string_value(json_object_get(claims, "preferred_username")),
                            json_string_value(json_object_get(claims, "email"))};
    const char *display = json_string_value(json_object_get(claims, "name"));
    json_t *verified = json_object_get(claims, "email_verified");
    sb_err err = SB_ERR_NOT_FOUND;

    /* An email the provider says it has not verified names nobody. */
    if (json_is_false(verified))
        names[1] = NULL;
    for (size_t i = 0; i < 2 && err == SB_ERR_NOT_FOUND; i++)
        if (names[i] && names[i][0] && strlen(names[i]) <= SB_NAME_MAX)
            err = store_user_by_upn(ctx->store, names[i], u, NULL);
    if (err != SB_ERR_NOT_FOUND)
        return err;
    if (!ctx->cfg->oidc_create_users)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "userUnknown",
                       "this person has no account here; ask an administrator to add them");
    {
        const char *upn = names[0] && names[0][0] ? names[0] : names[1];
        char shown[SB_NAME_MAX + 1];
        struct auth_new_user nu;

        if (!upn || !upn[0] || strlen(upn) > SB_NAME_MAX)
            return sb_fail(diag, SB_ERR_UNAUTHORIZED, "tokenInvalid",
                           "the ID token names no preferred_username or email");
        snprintf(shown, sizeof(shown), "%s", display && display[0] ? display : upn);
        nu.display_name = shown;
        nu.upn = upn;
        nu.password = NULL; /* signs in with single sign-on only */
        nu.is_admin = false;
        err = auth_user_create(ctx, &nu, u, diag);
        if (!err)
            sb_log_info("single sign-on created the user %s", u->id);
        /* Created by a concurrent first sign-in of the same person: use that account. */
        if (err == SB_ERR_CONFLICT)
            err = store_user_by_upn(ctx->store, upn, u, NULL);
    }
    return err;
}

sb_err oidc_finish(struct sb_ctx *ctx, const struct oidc_callback *in, struct sb_user *user,
                   char *secret, char *csrf, struct sb_diag *diag)
{
    struct provider p = {0};
    char key[65], nonce[STORE_OIDC_TEXT_MAX + 1], verifier[STORE_OIDC_TEXT_MAX + 1];
    char *id_token = NULL;
    json_t *claims = NULL;
    sb_err err;

    memset(user, 0, sizeof(*user));
    secret[0] = csrf[0] = '\0';
    nonce[0] = verifier[0] = '\0';
    if (!oidc_enabled(ctx))
        return sb_fail(diag, SB_ERR_NOT_FOUND, "itemNotFound", "single sign-on is not set up");
    /* The state must be the one this browser was given (its cookie): a callback URL handed to
     * someone else, or made up, signs nobody in. */
    if (!in->state || !in->cookie_state || strlen(in->state) != OIDC_STATE_LEN ||
        strlen(in->cookie_state) != OIDC_STATE_LEN ||
        sodium_memcmp(in->state, in->cookie_state, OIDC_STATE_LEN) != 0)
        return sb_fail(diag, SB_ERR_UNAUTHORIZED, "stateMismatch",
                       "this sign-in was not started in this browser; start again");
    state_key(in->state, key);
    /* Taken once: whatever happens next, this state cannot be used again. */
    err = store_oidc_login_take(ctx->store, key, sb_now_ms(ctx), nonce, verifier);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, SB_ERR_UNAUTHORIZED, "stateUnknown",
                       "this sign-in has already been used or has expired; start again");
    if (err)
        return err;
    if (in->error || !in->code || !in->code[0] || strlen(in->code) > 4096) {
        err = sb_fail(diag, SB_ERR_UNAUTHORIZED, "providerRefused",
                      "the identity provider did not sign you in");
        goto out;
    }
    err = discover(ctx, &p, diag);
    if (!err)
        err = exchange(ctx, &p, in->code, verifier, &id_token, diag);
    if (!err)
        err = verify(ctx, &p, id_token, nonce, &claims, diag);
    if (!err)
        err = match_user(ctx, claims, user, diag);
    if (!err)
        err = auth_session_start(ctx, user->id, secret, csrf);
out:
    if (err) {
        memset(user, 0, sizeof(*user));
        secret[0] = csrf[0] = '\0';
        sb_log_info("single sign-on refused: %s", diag->code[0] ? diag->code : sb_err_name(err));
    }
    sodium_memzero(verifier, sizeof(verifier));
    if (id_token)
        sodium_memzero(id_token, strlen(id_token));
    free(id_token);
    json_decref(claims);
    provider_free(&p);
    return err;
}
