/*
 * auth_api.c: signing in. POST /api/v1/tokens issues API tokens; /api/v1/session is the web
 * client's cookie session (HttpOnly, SameSite=Lax, host-only; `__Host-` and Secure when the
 * public URL is https; state-changing requests echo the CSRF token).
 *
 * A password check runs in two calls of the handler: the first reads the request, refuses a
 * throttled account or address (429, before any hashing: auth/throttle.h), then defers the
 * connection and hands the argon2id check to the hashing pool (auth/pool.h); the pool resumes
 * the connection and the second call counts the outcome and answers.
 */
#include "api/api.h"

#include "auth/oidc.h"
#include "auth/pool.h"
#include "auth/throttle.h"
#include "core/config.h"
#include "core/json.h"
#include "core/log.h"
#include "core/metrics.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A sign-in in progress, owned by the request (req->state) across the deferral. */
struct signin {
    struct sb_ctx *ctx;
    struct http_request *req;
    char upn[SB_NAME_MAX + 1];
    char password[1025];
    struct auth_throttle_keys keys;
    bool queued; /* false: the pool refused or cancelled the job (full or stopping) */
    sb_err err;
    struct sb_diag diag;
    struct sb_user user;
};

static void signin_free(struct signin *s)
{
    sodium_memzero(s->password, sizeof(s->password));
    free(s);
}

/* On a pool thread (or the stopping thread when cancelled). After http_resume the request (and
 * s) belongs to the HTTP thread again. */
static void verify(void *arg, bool cancelled)
{
    struct signin *s = arg;

    if (cancelled)
        s->queued = false; /* shutting down: 503 at once rather than a hash */
    else
        s->err = auth_login(s->ctx, s->upn, s->password, &s->user, &s->diag);
    sodium_memzero(s->password, sizeof(s->password));
    http_resume(s->req);
}

/* The resumed call: counts the outcome and answers failures. True when s->user signed in. */
static bool finish(struct api_call *c, struct signin *s)
{
    sb_err err = s->err;

    if (!s->queued) {
        http_response_header(c->resp, "Retry-After", "1");
        api_failf(c, SB_ERR_UNAVAILABLE, "ServiceUnavailable",
                  "too many sign-ins are being checked; try again in a moment");
        return false;
    }
    if (err == SB_ERR_UNAUTHORIZED) {
        atomic_fetch_add_explicit(&c->ctx->metrics->logins_failed, 1, memory_order_relaxed);
        if (auth_throttle_failed(c->ctx, &s->keys) != SB_OK)
            sb_log_error("cannot count a failed sign-in for %s", s->keys.account);
    } else if (!err) {
        err = auth_throttle_succeeded(c->ctx, &s->keys);
    }
    if (err) {
        c->diag = s->diag;
        api_fail(c, err);
        return false;
    }
    return true;
}

/* Checks {userPrincipalName, password}: true (once the check has run) when u signed in;
 * false when the request was answered, or deferred until the check is done. */
static bool check_login(struct api_call *c, struct sb_user *u)
{
    struct signin *s = c->req->state;
    json_t *body;
    const char *upn, *password;
    char address[INET6_ADDRSTRLEN];
    int retry = 0;
    sb_err err;

    if (c->req->resumed && s) {
        bool ok;

        c->req->state = NULL;
        ok = finish(c, s);
        if (ok)
            *u = s->user;
        signin_free(s);
        return ok;
    }
    if (!(body = api_body_object(c)))
        return false;
    err = sb_json_string(body, "userPrincipalName", true, SB_NAME_MAX, &upn, &c->diag);
    if (!err)
        err = sb_json_string(body, "password", true, 1024, &password, &c->diag);
    /* --disable-password-sign-in: only the break-glass administrator, before any hashing. */
    if (!err && !oidc_password_allowed(c->ctx, upn))
        err = sb_fail(&c->diag, SB_ERR_FORBIDDEN, "passwordSignInDisabled",
                      "password sign-in is turned off; sign in with single sign-on");
    if (!err && !(s = calloc(1, sizeof(*s))))
        err = SB_ERR_NOMEM;
    if (!err) {
        s->ctx = c->ctx;
        s->req = c->req;
        snprintf(s->upn, sizeof(s->upn), "%s", upn);
        snprintf(s->password, sizeof(s->password), "%s", password);
        auth_throttle_keys(
            upn, http_peer_address(c->req, address, sizeof(address)) ? address : NULL, &s->keys);
        err = auth_throttle_check(c->ctx, &s->keys, &retry);
    }
    json_decref(body);
    if (err == SB_ERR_THROTTLED) {
        atomic_fetch_add_explicit(&c->ctx->metrics->signins_throttled, 1, memory_order_relaxed);
        http_response_header(c->resp, "Retry-After", "%d", retry);
        api_failf(c, err, "TooManyRequests",
                  "too many failed sign-ins for this account or from this address; try again "
                  "in %d seconds",
                  retry);
    } else if (err) {
        api_fail(c, err);
    }
    if (err) {
        if (s)
            signin_free(s);
        return false;
    }
    c->req->state = s;
    http_defer(c->req);
    s->queued = true; /* before the job can run: a cancelled job clears it */
    if (auth_pool_submit(c->ctx->auth_pool, verify, s) != SB_OK) {
        s->queued = false;
        http_resume(c->req); /* answered (503) on the resumed call */
    }
    return false;
}

void api_token_create(struct api_call *c)
{
    char secret[AUTH_SECRET_LEN + 1];
    struct sb_user u;
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

static bool json_content(const char *type)
{
    size_t n = sizeof("application/json") - 1;

    return type && strncasecmp(type, "application/json", n) == 0 &&
           (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

void api_session_create(struct api_call *c)
{
    char secret[AUTH_SECRET_LEN + 1], csrf[65];
    struct sb_user u;
    bool https = strncasecmp(c->ctx->cfg->public_url, "https:", 6) == 0;
    sb_err err;

    /* A form on another site can post text/plain and sign the victim in as the attacker
     * (login CSRF); JSON needs a CORS preflight, which we never grant. */
    if (!c->req->resumed && !json_content(http_header(c->req, "Content-Type"))) {
        api_failf(c, SB_ERR_INVALID, "UnsupportedMediaType",
                  "sign in with Content-Type: application/json");
        c->resp->status = 415;
        return;
    }
    if (!c->req->resumed && !api_origin_ok(c)) {
        api_failf(c, SB_ERR_FORBIDDEN, "Forbidden", "sign-in is only accepted from pages of %s",
                  c->ctx->cfg->public_url);
        return;
    }
    if (!check_login(c, &u))
        return;
    err = auth_session_start(c->ctx, u.id, secret, csrf);
    if (err) {
        api_fail(c, err);
        return;
    }
    http_response_header(
        c->resp, "Set-Cookie", "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
        api_session_cookie(c->ctx), secret, AUTH_SESSION_TTL_MS / 1000, https ? "; Secure" : "");
    api_json(c, 200, json_pack("{s:o,s:s}", "user", api_render_user(&u), "csrfToken", csrf));
}

void api_session_delete(struct api_call *c)
{
    bool https = strncasecmp(c->ctx->cfg->public_url, "https:", 6) == 0;
    sb_err err;

    err = auth_logout(c->ctx, c->who, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    http_response_header(c->resp, "Set-Cookie", "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                         api_session_cookie(c->ctx), https ? "; Secure" : "");
    api_no_content(c);
}

/* The signed-in person and, for a cookie session, its CSRF token: a new browser tab has the
 * cookie but not the token. Reading it needs the cookie itself, which other sites' pages
 * cannot send with a readable response (SameSite=Lax, no CORS), so handing it out is safe. */
void api_session_get(struct api_call *c)
{
    struct sb_user u;
    sb_err err;

    err = auth_me(c->ctx, c->who, &u, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200,
             json_pack("{s:o,s:s?}", "user", api_render_user(&u), "csrfToken",
                       c->who->via_session ? c->who->csrf : NULL));
}
