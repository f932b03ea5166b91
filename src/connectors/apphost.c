/*
 * apphost.c: sandbox origins for connector configuration pages (see apphost.h).
 */
#include "connectors/apphost.h"

#include "connectors/configs.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"
#include "http/static.h"
#include "net/fetch.h"
#include "net/url.h"
#include "org/org.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROXY_MAX_IN_FLIGHT 64
#define PROXY_TIMEOUT_MS 15000
#define PROXY_MAX_HEADERS 48

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

static void plain(struct http_response *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void plain(struct http_response *resp, int status, const char *fmt, ...)
{
    char text[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    http_response_text(resp, status, "text/plain; charset=utf-8", text);
    http_response_header(resp, "Cache-Control", "no-store");
}

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
         !f->found && (p = apphost_cookie_next(p, APPHOST_COOKIE, token, sizeof(token)));)
        f->found = apphost_token_check(f->ctx->webhook_key, APPHOST_TOKEN_SESSION, f->app_id, token,
                                       sb_now_ms(f->ctx), f->user_id);
}

/* Whether the user still exists: the sandbox is for people who may use Switchboard now. */
static bool user_exists(struct sb_ctx *ctx, const char *user_id)
{
    struct store_user u;

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
        plain(resp, 403,
              "This configuration page's link has expired or is not valid. Close the dialog and "
              "open the connector again from Switchboard.");
        return false;
    }
    http_headers_each(req, session_in_header, &f);
    if (f.found && user_exists(ctx, user_id))
        return true;
    plain(resp, 403,
          "This configuration page opens only from Switchboard's Connectors dialog, for someone "
          "signed in who may configure the connector.");
    return false;
}

/* ---- the proxy ---- */

struct proxy {
    struct sb_ctx *ctx;
    struct http_request *req;
    char *url;
    char *lines[PROXY_MAX_HEADERS + 1];
    size_t nlines;
    char sandbox[APPHOST_URL_MAX];
    char upstream[APPHOST_URL_MAX]; /* the one origin the request may reach */
    struct fetch_response fr;
    struct sb_diag diag;
    sb_err err;
    bool dropped; /* a header was left out (too many) */
};

static void proxy_free(struct proxy *p)
{
    if (!p)
        return;
    free(p->url);
    for (size_t i = 0; i < p->nlines; i++)
        free(p->lines[i]);
    fetch_response_free(&p->fr);
    free(p);
}

static bool hop_by_hop(const char *name)
{
    static const char *const drop[] = {
        "Connection", "Keep-Alive",     "Proxy-Authorization", "Proxy-Authenticate",
        "TE",         "Trailer",        "Transfer-Encoding",   "Upgrade",
        "Host",       "Content-Length", "Accept-Encoding",     "Expect"};

    for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
        if (strcasecmp(name, drop[i]) == 0)
            return true;
    return false;
}

static void add_line(struct proxy *p, const char *name, const char *value)
{
    if (p->nlines >= PROXY_MAX_HEADERS) {
        p->dropped = true;
        return;
    }
    if (asprintf(&p->lines[p->nlines], "%s: %s", name, value) >= 0)
        p->nlines++;
}

/* The page's cookies minus Switchboard's own (which a sandbox origin should never see). */
static void add_cookies(struct proxy *p, const char *value)
{
    char *out = NULL;

    if (apphost_cookie_filter(value, &out) == SB_OK && out)
        add_line(p, "Cookie", out);
    free(out);
}

/* Origin and Referer name the sandbox origin; the vendor's server expects its own. */
static void add_rewritten(struct proxy *p, const char *name, const char *value)
{
    size_t sl = strlen(p->sandbox);
    char buf[4096];

    if (strncasecmp(value, p->sandbox, sl) == 0 && (value[sl] == '\0' || value[sl] == '/')) {
        snprintf(buf, sizeof(buf), "%s%s", p->upstream, value + sl);
        add_line(p, name, buf);
    } else {
        add_line(p, name, value);
    }
}

static void forward_header(void *arg, const char *name, const char *value)
{
    struct proxy *p = arg;

    if (hop_by_hop(name))
        return;
    if (strcasecmp(name, "Cookie") == 0)
        add_cookies(p, value);
    else if (strcasecmp(name, "Origin") == 0 || strcasecmp(name, "Referer") == 0)
        add_rewritten(p, name, value);
    else
        add_line(p, name, value);
}

struct apphost_relays {
    pthread_mutex_t mu;
    pthread_cond_t idle;
    int running;
    bool stopped;
};

sb_err apphost_relays_new(struct apphost_relays **out)
{
    struct apphost_relays *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (!r)
        return SB_ERR_NOMEM;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->idle, NULL);
    *out = r;
    return SB_OK;
}

void apphost_stop(struct sb_ctx *ctx)
{
    struct apphost_relays *r = ctx->relays;

    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->stopped = true;
    while (r->running > 0)
        pthread_cond_wait(&r->idle, &r->mu);
    pthread_mutex_unlock(&r->mu);
}

void apphost_relays_free(struct apphost_relays *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->idle);
    free(r);
}

/* Whether a relay may start (counted until relay_end); false once shutdown began. */
static bool relay_begin(struct apphost_relays *r)
{
    bool ok;

    if (!r)
        return false;
    pthread_mutex_lock(&r->mu);
    ok = !r->stopped;
    if (ok)
        r->running++;
    pthread_mutex_unlock(&r->mu);
    return ok;
}

static void relay_end(struct apphost_relays *r)
{
    pthread_mutex_lock(&r->mu);
    if (--r->running == 0)
        pthread_cond_broadcast(&r->idle);
    pthread_mutex_unlock(&r->mu);
}

static void *proxy_run(void *arg)
{
    struct proxy *p = arg;
    struct http_request *req = p->req;
    /* p belongs to the request once it is resumed: take what is needed after that first. */
    struct apphost_relays *relays = p->ctx->relays;
    struct fetch_request rq = {
        .method = req->method,
        .url = p->url,
        .headers = (const char *const *)p->lines,
        .body = req->body,
        .body_len = req->body_len,
        .timeout_ms = PROXY_TIMEOUT_MS,
        .max_response = APPHOST_BODY_MAX,
        .only_origin = p->upstream,
    };

    struct fetch_policy policy = {0};

    p->err = org_fetch_policy(p->ctx, &policy);
    if (!p->err)
        p->err = fetch_do(&policy, &rq, &p->fr, &p->diag);
    org_fetch_policy_free(&policy);
    http_resume(req);
    relay_end(relays);
    return NULL;
}

bool apphost_target_ok(const char *raw)
{
    return raw && raw[0] == '/' && raw[1] != '/';
}

/* The decoded path, percent-encoded again except for unreserved characters and the
 * sub-delimiters a path may hold: "?", "#", "%" and "\\" can never reach the URL raw. */
static char *encode_path(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(path), n = 0;
    char *out = malloc(len * 3 + 1);

    if (!out)
        return NULL;
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if (isalnum(*s) || strchr("-._~/!$&'()*+,;=:@", *s)) {
            out[n++] = (char)*s;
        } else {
            out[n++] = '%';
            out[n++] = hex[*s >> 4];
            out[n++] = hex[*s & 15];
        }
    }
    out[n] = '\0';
    return out;
}

sb_err apphost_upstream_url(const char *config_url, const char *path, const char *query, char **out)
{
    struct net_url u = {0};
    char *enc = NULL;
    sb_err err = SB_ERR_INVALID;

    *out = NULL;
    if (!apphost_target_ok(path) || strlen(path) > APPHOST_PATH_MAX)
        goto out;
    if (!(enc = encode_path(path))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = net_url_parse(config_url, 0, &u);
    if (!err)
        err = net_url_with_path(&u, enc, query, out);
out:
    net_url_free(&u);
    free(enc);
    return err;
}

static sb_err proxy_start(struct sb_ctx *ctx, const char *app_id, const struct store_app *app,
                          const char *upstream, struct http_request *req,
                          struct http_response *resp)
{
    struct proxy *p = calloc(1, sizeof(*p));
    char query[4096];
    sb_err err;
    pthread_attr_t attr;
    pthread_t th;
    int in_flight;

    if (!p)
        return SB_ERR_NOMEM;
    p->ctx = ctx;
    p->req = req;
    snprintf(p->upstream, sizeof(p->upstream), "%s", upstream);
    if (apphost_origin(ctx, app_id, p->sandbox, sizeof(p->sandbox)) != SB_OK ||
        !http_query_string(req, query, sizeof(query))) {
        proxy_free(p);
        plain(resp, 414, "The request's URL is too long to relay.");
        return SB_OK;
    }
    err = apphost_upstream_url(app->configuration_url, req->path, query, &p->url);
    if (err) {
        proxy_free(p);
        if (err != SB_ERR_INVALID)
            return err;
        plain(resp, 400, "This request cannot be relayed to the configuration page's origin.");
        return SB_OK;
    }
    http_headers_each(req, forward_header, p);
    in_flight = atomic_fetch_add(&ctx->metrics->proxy_in_flight, 1);
    if (in_flight >= PROXY_MAX_IN_FLIGHT || !relay_begin(ctx->relays)) {
        atomic_fetch_sub(&ctx->metrics->proxy_in_flight, 1);
        proxy_free(p);
        plain(resp, 503,
              in_flight >= PROXY_MAX_IN_FLIGHT
                  ? "Too many configuration-page requests are being relayed; try again."
                  : "The server is shutting down.");
        http_response_header(resp, "Retry-After", "1");
        return SB_OK;
    }
    req->state = p;
    http_defer(req);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &attr, proxy_run, p) != 0) {
        p->err = sb_fail(&p->diag, SB_ERR_UNAVAILABLE, "outboundFailed",
                         "no thread to relay the request");
        http_resume(req);
        relay_end(ctx->relays);
    }
    pthread_attr_destroy(&attr);
    return SB_OK;
}

/* Response headers that make sense for the page in its sandbox origin. The vendor's
 * Content-Security-Policy and X-Frame-Options are left out: they name Teams' hosts as frame
 * ancestors, which would keep the page out of our host frame (the page's isolation here is its
 * own origin). Cookies stay host-only on the sandbox origin (apphost_set_cookie_rewrite). */
static void copy_response_headers(struct proxy *p, struct http_response *resp)
{
    static const char *const keep[] = {"Content-Type",    "Cache-Control", "ETag",
                                       "Last-Modified",   "Set-Cookie",    "Location",
                                       "Content-Language"};
    char *save = NULL, *copy = p->fr.headers ? strdup(p->fr.headers) : NULL;
    size_t sl = strlen(p->upstream);

    for (char *line = copy ? strtok_r(copy, "\r\n", &save) : NULL; line;
         line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':'), *v;

        if (!colon || strncmp(line, "HTTP/", 5) == 0)
            continue;
        *colon = '\0';
        for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
            ;
        for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
            if (strcasecmp(line, keep[i]) != 0 || resp->nheaders >= HTTP_MAX_HEADERS - 1)
                continue;
            if (i == 4) { /* Set-Cookie: host-only on this origin, never one of ours */
                char cookie[4096];

                if (apphost_set_cookie_rewrite(v, cookie, sizeof(cookie)))
                    http_response_header(resp, keep[i], "%s", cookie);
                continue;
            }
            if (i == 5 && strncasecmp(v, p->upstream, sl) == 0)
                http_response_header(resp, keep[i], "%s%s", p->sandbox, v + sl);
            else
                http_response_header(resp, keep[i], "%s", v);
        }
    }
    free(copy);
    http_response_header(resp, "Referrer-Policy", "same-origin");
}

static void proxy_finish(struct sb_ctx *ctx, struct http_request *req, struct http_response *resp)
{
    struct proxy *p = req->state;

    req->state = NULL;
    atomic_fetch_sub(&ctx->metrics->proxy_in_flight, 1);
    if (p->err) {
        sb_log_info("configuration page %s: %s", p->url, p->diag.message);
        plain(resp, p->err == SB_ERR_FORBIDDEN ? 403 : 502,
              "Switchboard could not load this configuration page: %s", p->diag.message);
        proxy_free(p);
        return;
    }
    resp->status = (int)p->fr.status;
    resp->body = p->fr.body;
    resp->body_len = p->fr.body_len;
    p->fr.body = NULL;
    copy_response_headers(p, resp);
    proxy_free(p);
}

void apphost_handle(struct sb_ctx *ctx, const char *app_id, struct http_request *req,
                    struct http_response *resp)
{
    struct store_app app;
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
    if (!apphost_target_ok(req->target)) {
        plain(resp, 400, "The request target must be a path starting with a single \"/\".");
        return;
    }
    /* Nothing of the sandbox, not even whether the app exists, without a ticket or session. */
    if (!sandbox_admit(ctx, app_id, req, resp, set_cookie, sizeof(set_cookie)))
        return;
    err = store_app_get(ctx->store, app_id, &app);
    if (err || !app.connector_id[0] || !app.configuration_url[0]) {
        plain(resp, 404, "There is no connector app with a configuration page here.");
        return;
    }
    if (!config_url_split(app.configuration_url, scheme, sizeof(scheme), host, sizeof(host), &port,
                          &path)) {
        plain(resp, 404, "This app's configurationUrl is not an http(s) URL.");
        return;
    }
    if (!config_url_allowed(ctx, app.valid_domains, app.configuration_url, why, sizeof(why))) {
        plain(resp, 403, "This configuration page is not allowed: configurationUrl %s.", why);
        return;
    }
    if (fetch_url_origin(app.configuration_url, upstream, sizeof(upstream)) != SB_OK) {
        plain(resp, 404, "This app's configurationUrl is not an http(s) URL.");
        return;
    }
    if (strncmp(req->path, APPHOST_PREFIX, strlen(APPHOST_PREFIX)) == 0) {
        const char *rest = req->path + strlen(APPHOST_PREFIX);

        if (strcmp(req->method, "GET") != 0)
            plain(resp, 405, "Only GET is supported here.");
        else if (strcmp(rest, "host.html") == 0)
            host_page(ctx, upstream, set_cookie, resp);
        else if (strcmp(rest, "apphost.js") != 0 ||
                 http_static_serve(ctx->cfg->web_root, "/apphost.js", resp) != SB_OK)
            plain(resp, 404, "Not found.");
        return;
    }
    if (req->body_too_large) {
        plain(resp, 413, "The request body is larger than %d bytes.", APPHOST_BODY_MAX);
        return;
    }
    if (proxy_start(ctx, app_id, &app, upstream, req, resp) != SB_OK)
        plain(resp, 500, "Out of memory.");
}
