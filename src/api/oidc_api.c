/*
 * oidc_api.c: single sign-on routes (contract §6, docs/sso.md).
 *
 * GET /api/v1/auth/providers   what the sign-in page offers
 * GET /api/v1/auth/oidc/start  302 to the provider (sets the state cookie)
 * GET /api/v1/auth/oidc/callback  the provider sends the browser back here: the session cookie
 *                              and 302 to the web client; a refusal 302s to the sign-in page
 *                              with ?ssoError=<code> (a person reads it there, not as JSON)
 *
 * Start and callback talk to the provider (outbound HTTP, auth/oidc.h): the handler defers its
 * connection and runs the call on ctx->oidc_pool, then answers on the resumed call, as the
 * password sign-in does with the hashing pool.
 */
#include "api/api.h"

#include "auth/oidc.h"
#include "auth/pool.h"
#include "core/config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A start or callback in progress, owned by the request (req->state) across the deferral. */
struct oidc_job {
    struct sb_ctx *ctx;
    struct http_request *req;
    bool callback;
    bool queued; /* false: the pool refused or cancelled the job */
    char *code, *state, *error;
    char cookie[OIDC_STATE_LEN + 2];
    bool has_cookie;
    sb_err err;
    struct sb_diag diag;
    char *location;                     /* start */
    char new_state[OIDC_STATE_LEN + 1]; /* start */
    struct sb_user user;                /* callback */
    char secret[AUTH_SECRET_LEN + 1];
    char csrf[65];
};

static void job_free(struct oidc_job *j)
{
    free(j->code);
    free(j->state);
    free(j->error);
    free(j->location);
    sodium_memzero(j->secret, sizeof(j->secret));
    free(j);
}

static bool https_public(const struct sb_ctx *ctx)
{
    return strncasecmp(ctx->cfg->public_url, "https:", 6) == 0;
}

/* The state cookie: host-only and Secure under https (like the session cookie), sent back on
 * the provider's top-level redirect (SameSite=Lax). */
static const char *state_cookie(const struct sb_ctx *ctx)
{
    return https_public(ctx) ? "__Host-" OIDC_COOKIE : OIDC_COOKIE;
}

void api_auth_providers(struct api_call *c)
{
    json_t *v = NULL;
    sb_err err = oidc_providers(c->ctx, &v);

    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, v);
}

/* On a pool thread (or the stopping thread when cancelled). */
static void run(void *arg, bool cancelled)
{
    struct oidc_job *j = arg;
    struct oidc_callback in;

    if (cancelled) {
        j->queued = false;
    } else if (j->callback) {
        in.code = j->code;
        in.state = j->state;
        in.error = j->error;
        in.cookie_state = j->has_cookie ? j->cookie : NULL;
        j->err = oidc_finish(j->ctx, &in, &j->user, j->secret, j->csrf, &j->diag);
    } else {
        j->err = oidc_start(j->ctx, &j->location, j->new_state, &j->diag);
    }
    http_resume(j->req);
}

static sb_err dup_query(struct api_call *c, const char *name, char **out)
{
    const char *v = http_query(c->req, name);

    *out = NULL;
    if (v && !(*out = strdup(v)))
        return SB_ERR_NOMEM;
    return SB_OK;
}

/* Defers the request and queues its job (a refused job is answered 503 when resumed). */
static void submit(struct api_call *c, struct oidc_job *j)
{
    c->req->state = j;
    http_defer(c->req);
    j->queued = true; /* before the job can run: a cancelled job clears it */
    if (auth_pool_submit(c->ctx->oidc_pool, run, j) != SB_OK) {
        j->queued = false;
        http_resume(c->req); /* answered (503) on the resumed call */
    }
}

/* The first call of start or callback: builds the job. */
static void begin(struct api_call *c, bool callback)
{
    struct oidc_job *j;
    sb_err err;

    if (!callback) {
        err = oidc_precheck(c->ctx, &c->diag);
        if (err) {
            api_fail(c, err);
            return;
        }
    } else if (!oidc_enabled(c->ctx)) {
        api_failf(c, SB_ERR_NOT_FOUND, "itemNotFound", "single sign-on is not set up");
        return;
    }
    if (!(j = calloc(1, sizeof(*j)))) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    j->ctx = c->ctx;
    j->req = c->req;
    j->callback = callback;
    err = SB_OK;
    if (callback) {
        err = dup_query(c, "code", &j->code);
        if (!err)
            err = dup_query(c, "state", &j->state);
        if (!err)
            err = dup_query(c, "error", &j->error);
        j->has_cookie = http_cookie(c->req, state_cookie(c->ctx), j->cookie, sizeof(j->cookie));
    }
    if (err) {
        job_free(j);
        api_fail(c, err);
        return;
    }
    submit(c, j);
}

static void clear_state_cookie(struct api_call *c)
{
    http_response_header(c->resp, "Set-Cookie", "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                         state_cookie(c->ctx), https_public(c->ctx) ? "; Secure" : "");
}

static void finish_start(struct api_call *c, struct oidc_job *j)
{
    if (j->err) {
        c->diag = j->diag;
        api_fail(c, j->err);
        return;
    }
    http_response_header(c->resp, "Set-Cookie",
                         "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
                         state_cookie(c->ctx), j->new_state, OIDC_LOGIN_TTL_MS / 1000,
                         https_public(c->ctx) ? "; Secure" : "");
    http_response_header(c->resp, "Cache-Control", "no-store");
    http_response_header(c->resp, "Location", "%s", j->location);
    c->resp->status = 302;
}

static void finish_callback(struct api_call *c, struct oidc_job *j)
{
    clear_state_cookie(c);
    http_response_header(c->resp, "Cache-Control", "no-store");
    c->resp->status = 302;
    if (j->err) {
        /* Back to the sign-in page, which names the problem; the code is one of oidc.h's
         * (letters only), never anything the provider sent. */
        http_response_header(c->resp, "Location", "%s/?ssoError=%s", c->ctx->cfg->public_url,
                             j->diag.code[0] ? j->diag.code : "signInFailed");
        return;
    }
    http_response_header(c->resp, "Set-Cookie",
                         "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
                         api_session_cookie(c->ctx), j->secret, AUTH_SESSION_TTL_MS / 1000,
                         https_public(c->ctx) ? "; Secure" : "");
    http_response_header(c->resp, "Location", "%s/", c->ctx->cfg->public_url);
}

static void handle(struct api_call *c, bool callback)
{
    struct oidc_job *j = c->req->state;

    if (!c->req->resumed || !j) {
        begin(c, callback);
        return;
    }
    c->req->state = NULL;
    if (!j->queued) {
        http_response_header(c->resp, "Retry-After", "1");
        api_failf(c, SB_ERR_UNAVAILABLE, "ServiceUnavailable",
                  "too many sign-ins are in progress; try again in a moment");
    } else if (callback) {
        finish_callback(c, j);
    } else {
        finish_start(c, j);
    }
    job_free(j);
}

void api_oidc_start(struct api_call *c)
{
    handle(c, false);
}

void api_oidc_callback(struct api_call *c)
{
    handle(c, true);
}
