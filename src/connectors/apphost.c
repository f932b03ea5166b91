/*
 * apphost.c: sandbox origins for connector configuration pages (see apphost.h).
 */
#include "connectors/apphost.h"

#include "connectors/configs.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/static.h"
#include "net/fetch.h"
#include "org/org.h"
#include "proxy/proxy.h"
#include "store/store.h"
#include "store/users.h"
#include "store/apps.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- origins ---- */

sb_err apphost_default_template(const char *public_url, char *out, size_t cap)
{
    char scheme[8], host[256];
    const char *path;
    int port, n;
    struct in_addr a4;

    if (!config_url_split(public_url, scheme, sizeof(scheme), host, sizeof(host), &port, &path))
        return SB_ERR_INVALID;
    /* An IP address has no subdomains; *.localhost resolves to the loopback interface in
     * browsers, which is right for a server reached as 127.0.0.1 and for tests. */
    if (inet_pton(AF_INET, host, &a4) == 1)
        snprintf(host, sizeof(host), "localhost");
    if ((strcmp(scheme, "https") == 0 && port == 443) ||
        (strcmp(scheme, "http") == 0 && port == 80))
        n = snprintf(out, cap, "%s://{app}.apps.%s", scheme, host);
    else
        n = snprintf(out, cap, "%s://{app}.apps.%s:%d", scheme, host, port);
    return n > 0 && (size_t)n < cap ? SB_OK : SB_ERR_INVALID;
}

bool apphost_template_ok(const char *tmpl)
{
    const char *host, *app = strstr(tmpl, "{app}");

    if (strncmp(tmpl, "https://", 8) == 0)
        host = tmpl + 8;
    else if (strncmp(tmpl, "http://", 7) == 0)
        host = tmpl + 7;
    else
        return false;
    return app && app >= host && !strstr(app + 5, "{app}") && !strchr(host, '/') &&
           !strchr(host, '?') && !strchr(host, '#') && !strchr(host, '@') &&
           strlen(tmpl) + SB_ID_LEN < APPHOST_URL_MAX;
}

sb_err apphost_origin(const struct sb_ctx *ctx, const char *app_id, char *out, size_t cap)
{
    const char *t = ctx->cfg->apps_url, *app = strstr(t, "{app}");
    int n;

    if (!app)
        return SB_ERR_INVALID;
    n = snprintf(out, cap, "%.*s%s%s", (int)(app - t), t, app_id, app + 5);
    return n > 0 && (size_t)n < cap ? SB_OK : SB_ERR_INVALID;
}

sb_err apphost_frame_url(const struct sb_ctx *ctx, const char *app_id, const char *user_id,
                         char *out, size_t cap)
{
    char origin[APPHOST_URL_MAX], ticket[APPHOST_TOKEN_MAX];
    sb_err err = apphost_origin(ctx, app_id, origin, sizeof(origin));
    int n;

    if (!err)
        err = apphost_token_make(ctx->webhook_key, APPHOST_TOKEN_TICKET, app_id, user_id,
                                 sb_now_ms(ctx) + APPHOST_TICKET_TTL_MS, ticket, sizeof(ticket));
    if (err)
        return err;
    n = snprintf(out, cap, "%s" APPHOST_PREFIX "host.html?ticket=%s", origin, ticket);
    return n > 0 && (size_t)n < cap ? SB_OK : SB_ERR_INVALID;
}

bool apphost_match(const struct sb_ctx *ctx, const struct http_request *req,
                   char app_id[SB_ID_LEN + 1])
{
    const char *t = ctx->cfg->apps_url, *host = http_header(req, "Host"), *app, *th;
    size_t pre, post, hl;

    if (!host || !(app = strstr(t, "{app}")))
        return false;
    th = strstr(t, "://");
    th = th ? th + 3 : t;
    pre = (size_t)(app - th);
    post = strlen(app + 5);
    hl = strlen(host);
    if (hl != pre + SB_ID_LEN + post || strncasecmp(host, th, pre) != 0 ||
        strcasecmp(host + pre + SB_ID_LEN, app + 5) != 0 || !sb_id_text(host + pre, SB_ID_LEN))
        return false;
    for (size_t i = 0; i < SB_ID_LEN; i++)
        app_id[i] = (char)tolower((unsigned char)host[pre + i]);
    app_id[SB_ID_LEN] = '\0';
    return true;
}

/* ---- answers of our own ---- */

static void public_origin(const struct sb_ctx *ctx, char *out, size_t cap)
{
    const char *u = ctx->cfg->public_url, *h = strstr(u, "://");
    size_t n = h ? (size_t)(strcspn(h + 3, "/") + (size_t)(h + 3 - u)) : strlen(u);

    snprintf(out, cap, "%.*s", (int)n, u);
}

/* The host frame: the parent it may talk to is the main client's origin, fixed here by the
 * server (never taken from the URL), and the origin it maps back to for page URLs. */
static void host_page(struct sb_ctx *ctx, const char *upstream, const char *set_cookie,
                      struct http_response *resp)
{
    char parent[APPHOST_URL_MAX], page[2048];

    public_origin(ctx, parent, sizeof(parent));
    snprintf(page, sizeof(page),
             "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<title>Connector configuration</title>"
             "<meta name=\"sb-parent-origin\" content=\"%s\">"
             "<meta name=\"sb-upstream-origin\" content=\"%s\">"
             "<style>html,body{margin:0;height:100%%}iframe{border:0;width:100%%;height:100%%;"
             "display:block}</style></head><body>"
             "<script type=\"module\" src=\"" APPHOST_PREFIX "apphost.js\"></script>"
             "</body></html>",
             parent, upstream);
    http_response_text(resp, 200, "text/html; charset=utf-8", page);
    http_response_header(resp, "Cache-Control", "no-store");
    http_response_header(resp, "Content-Security-Policy",
                         "default-src 'self'; style-src 'unsafe-inline'; frame-src 'self'; "
                         "frame-ancestors %s; "
                         "object-src 'none'; base-uri 'none'",
                         parent);
    /* The ticket in this page's URL goes nowhere else, not even to the vendor's page. */
    http_response_header(resp, "Referrer-Policy", "no-referrer");
    if (set_cookie[0])
        http_response_header(resp, "Set-Cookie", "%s", set_cookie);
}

/* ---- sandbox sessions ---- */

/* The user of a valid sandbox session cookie for app_id (any of the request's sb_sandbox
 * cookies: a page of another sandbox may have tossed in one of its own). */
struct session_find {
    const struct sb_ctx *ctx;
    const char *app_id;
    char *user_id;
    bool found;
};

static void session_in_header(void *arg, const char *name, const char *value)
{
    struct session_find *f = arg;
    char token[APPHOST_TOKEN_MAX];

    if (f->found || strcasecmp(name, "Cookie") != 0)
        return;
    for (const char *p = value;
         !f->found && (p = proxy_cookie_next(p, APPHOST_COOKIE, token, sizeof(token)));)
        f->found = apphost_token_check(f->ctx->webhook_key, APPHOST_TOKEN_SESSION, f->app_id, token,
                                       sb_now_ms(f->ctx), f->user_id);
}

/* Whether the user still exists: the sandbox is for people who may use Switchboard now. */
static bool user_exists(struct sb_ctx *ctx, const char *user_id)
{
    struct sb_user u;

    return store_user_get(ctx->store, user_id, &u) == SB_OK;
}

/* Session cookies work in the sandbox's cross-site frame only as SameSite=None, which needs
 * Secure; browsers accept Secure over https and on *.localhost (a secure context). Partitioned
 * (CHIPS) keeps them working where third-party cookies are blocked. A plain-http sandbox
 * elsewhere gets a Lax cookie: it works only when the sandbox is same-site with the client. */
static const char *cookie_attrs(const struct sb_ctx *ctx)
{
    const char *t = ctx->cfg->apps_url, *h = strstr(t, "://");
    char host[APPHOST_URL_MAX];
    size_t hl;

    if (strncmp(t, "https://", 8) == 0)
        return "; SameSite=None; Secure; Partitioned";
    snprintf(host, sizeof(host), "%s", h ? h + 3 : t);
    host[strcspn(host, ":/")] = '\0';
    hl = strlen(host);
    if (hl >= 10 && strcasecmp(host + hl - 10, ".localhost") == 0)
        return "; SameSite=None; Secure; Partitioned";
    return "; SameSite=Lax";
}

/* Lets the request in (true) or answers it (false): the host frame exchanges a valid ticket for
 * a session cookie; everything else needs that cookie, for a user who still exists. */
static bool sandbox_admit(struct sb_ctx *ctx, const char *app_id, struct http_request *req,
                          struct http_response *resp, char *set_cookie, size_t cap)
{
    char user_id[SB_ID_LEN + 1], token[APPHOST_TOKEN_MAX];
    const char *ticket = http_query(req, "ticket");
    struct session_find f = {ctx, app_id, user_id, false};

    set_cookie[0] = '\0';
    if (ticket && strcmp(req->path, APPHOST_PREFIX "host.html") == 0) {
        if (apphost_token_check(ctx->webhook_key, APPHOST_TOKEN_TICKET, app_id, ticket,
                                sb_now_ms(ctx), user_id) &&
            user_exists(ctx, user_id) &&
            apphost_token_make(ctx->webhook_key, APPHOST_TOKEN_SESSION, app_id, user_id,
                               sb_now_ms(ctx) + APPHOST_SESSION_TTL_MS, token,
                               sizeof(token)) == SB_OK) {
            snprintf(set_cookie, cap, APPHOST_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly%s", token,
                     APPHOST_SESSION_TTL_MS / 1000, cookie_attrs(ctx));
            return true;
        }
        proxy_plain(
            resp, 403,
            "This configuration page's link has expired or is not valid. Close the dialog and "
            "open the connector again from Switchboard.");
        return false;
    }
    http_headers_each(req, session_in_header, &f);
    if (f.found && user_exists(ctx, user_id))
        return true;
    proxy_plain(
        resp, 403,
        "This configuration page opens only from Switchboard's Connectors dialog, for someone "
        "signed in who may configure the connector.");
    return false;
}

/* Hands the request to the proxy with the app's page, its sandbox origin and the outbound policy
 * of now. */
static void relay(struct sb_ctx *ctx, const char *app_id, const struct sb_app *app,
                  struct http_request *req, struct http_response *resp)
{
    char sandbox[APPHOST_URL_MAX];
    struct fetch_policy policy = {0};
    struct proxy_target t = {sandbox, app->configuration_url, &policy};
    sb_err err = apphost_origin(ctx, app_id, sandbox, sizeof(sandbox));

    if (err) {
        proxy_plain(resp, 414, "The request's URL is too long to relay.");
        return;
    }
    err = org_fetch_policy(ctx, &policy);
    if (!err)
        err = proxy_start(ctx, &t, req, resp);
    org_fetch_policy_free(&policy);
    if (err)
        proxy_plain(resp, 500, "%s",
                    err == SB_ERR_NOMEM ? "Out of memory."
                                        : "The outbound policy could not be read.");
}

void apphost_handle(struct sb_ctx *ctx, const char *app_id, struct http_request *req,
                    struct http_response *resp)
{
    struct sb_app app;
    char scheme[8], host[256], upstream[APPHOST_URL_MAX], why[320],
        set_cookie[APPHOST_TOKEN_MAX * 2];
    const char *path;
    int port;
    sb_err err;

    if (req->resumed) {
        proxy_finish(ctx, req, resp);
        return;
    }
    /* Only origin-form targets: the path is joined to the app's origin, so "@host/x",
     * "//host/x" or "http://host/x" must never get that far. Checked on the target as received,
     * before percent-decoding turned "%40" into "@". */
    if (!proxy_target_ok(req->target)) {
        proxy_plain(resp, 400, "The request target must be a path starting with a single \"/\".");
        return;
    }
    /* Nothing of the sandbox, not even whether the app exists, without a ticket or session. */
    if (!sandbox_admit(ctx, app_id, req, resp, set_cookie, sizeof(set_cookie)))
        return;
    err = store_app_get(ctx->store, app_id, &app);
    if (err || !app.connector_id[0] || !app.configuration_url[0]) {
        proxy_plain(resp, 404, "There is no connector app with a configuration page here.");
        goto out;
    }
    if (!config_url_split(app.configuration_url, scheme, sizeof(scheme), host, sizeof(host), &port,
                          &path)) {
        proxy_plain(resp, 404, "This app's configurationUrl is not an http(s) URL.");
        goto out;
    }
    if (!config_url_allowed(ctx, app.valid_domains, app.configuration_url, why, sizeof(why))) {
        proxy_plain(resp, 403, "This configuration page is not allowed: configurationUrl %s.", why);
        goto out;
    }
    if (fetch_url_origin(app.configuration_url, upstream, sizeof(upstream)) != SB_OK) {
        proxy_plain(resp, 404, "This app's configurationUrl is not an http(s) URL.");
        goto out;
    }
    if (strncmp(req->path, APPHOST_PREFIX, strlen(APPHOST_PREFIX)) == 0) {
        const char *rest = req->path + strlen(APPHOST_PREFIX);

        if (strcmp(req->method, "GET") != 0)
            proxy_plain(resp, 405, "Only GET is supported here.");
        else if (strcmp(rest, "host.html") == 0)
            host_page(ctx, upstream, set_cookie, resp);
        else if (strcmp(rest, "apphost.js") != 0 ||
                 http_static_serve(ctx->cfg->web_root, "/apphost.js", resp) != SB_OK)
            proxy_plain(resp, 404, "Not found.");
        goto out;
    }
    if (req->body_too_large) {
        proxy_plain(resp, 413, "The request body is larger than %d bytes.", PROXY_BODY_MAX);
        goto out;
    }
    relay(ctx, app_id, &app, req, resp);
out:
    store_app_free(&app);
}
