/*
 * auth_api.c: signing in. POST /api/v1/tokens issues API tokens; /api/v1/session is the web
 * client's cookie session (HttpOnly, SameSite=Lax; state-changing requests echo the CSRF token).
 */
#include "api/api.h"

#include "core/config.h"
#include "core/json.h"
#include "core/metrics.h"

#include <string.h>

/* Reads {userPrincipalName, password} and checks them; answers the failure itself. */
static bool check_login(struct api_call *c, struct store_user *u)
{
    json_t *body = api_body_object(c);
    const char *upn, *password;
    sb_err err;

    if (!body)
        return false;
    err = sb_json_string(body, "userPrincipalName", true, SB_NAME_MAX, &upn, &c->diag);
    if (!err)
        err = sb_json_string(body, "password", true, 1024, &password, &c->diag);
    if (!err)
        err = auth_login(c->ctx, upn, password, u, &c->diag);
    json_decref(body);
    if (err == SB_ERR_UNAUTHORIZED)
        atomic_fetch_add_explicit(&c->ctx->metrics->logins_failed, 1, memory_order_relaxed);
    if (err) {
        api_fail(c, err);
        return false;
    }
    return true;
}

void api_token_create(struct api_call *c)
{
    char secret[AUTH_SECRET_LEN + 1];
    struct store_user u;
    sb_err err;

    if (!check_login(c, &u))
        return;
    err = auth_token_issue(c->ctx, u.id, secret);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 201, json_pack("{s:s,s:s}", "token", secret, "userId", u.id));
}

void api_session_create(struct api_call *c)
{
    char secret[AUTH_SECRET_LEN + 1], csrf[65];
    struct store_user u;
    bool https = strncmp(c->ctx->cfg->public_url, "https:", 6) == 0;
    sb_err err;

    if (!check_login(c, &u))
        return;
    err = auth_session_start(c->ctx, u.id, secret, csrf);
    if (err) {
        api_fail(c, err);
        return;
    }
    http_response_header(c->resp, "Set-Cookie",
                         "sb_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s", secret,
                         AUTH_SESSION_TTL_MS / 1000, https ? "; Secure" : "");
    api_json(c, 200, json_pack("{s:o,s:s}", "user", api_render_user(&u), "csrfToken", csrf));
}

void api_session_delete(struct api_call *c)
{
    sb_err err;

    if (!api_can(c, SB_ACT_SIGNED_IN, NULL, NULL, NULL))
        return;
    err = auth_logout(c->ctx, c->who);
    if (err) {
        api_fail(c, err);
        return;
    }
    http_response_header(c->resp, "Set-Cookie",
                         "sb_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    api_no_content(c);
}

/* The signed-in person and, for a cookie session, its CSRF token: a new browser tab has the
 * cookie but not the token. Reading it needs the cookie itself, which other sites' pages
 * cannot send with a readable response (SameSite=Lax, no CORS), so handing it out is safe. */
void api_session_get(struct api_call *c)
{
    struct store_user u;
    sb_err err;

    if (!api_can(c, SB_ACT_SIGNED_IN, NULL, NULL, NULL))
        return;
    err = store_user_get(c->ctx->store, c->who->user_id, &u);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200,
             json_pack("{s:o,s:s?}", "user", api_render_user(&u), "csrfToken",
                       c->who->via_session ? c->who->csrf : NULL));
}
