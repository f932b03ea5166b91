/*
 * proxy.c: the configuration-page proxy (see proxy.h): relays a sandbox origin's requests to the
 * origin of an app's configuration page from a thread of its own, with the headers that make
 * sense on each side.
 */
#include "proxy/proxy.h"

#include "core/log.h"
#include "core/metrics.h"
#include "net/url.h"

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

void proxy_plain(struct http_response *resp, int status, const char *fmt, ...)
{
    char text[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    http_response_text(resp, status, "text/plain; charset=utf-8", text);
    http_response_header(resp, "Cache-Control", "no-store");
}

struct proxy {
    struct sb_ctx *ctx;
    struct http_request *req;
    char *url;
    char *lines[PROXY_MAX_HEADERS + 1];
    size_t nlines;
    char sandbox[PROXY_URL_MAX];
    char upstream[PROXY_URL_MAX]; /* the one origin the request may reach */
    struct fetch_policy policy;   /* a copy: the relay thread outlives the caller's */
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
    free(p->policy.allowed_hosts);
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

    if (proxy_cookie_filter(value, &out) == SB_OK && out)
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

struct proxy_relays {
    pthread_mutex_t mu;
    pthread_cond_t idle;
    int running;
    bool stopped;
};

sb_err proxy_relays_new(struct proxy_relays **out)
{
    struct proxy_relays *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (!r)
        return SB_ERR_NOMEM;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->idle, NULL);
    *out = r;
    return SB_OK;
}

void proxy_stop(struct sb_ctx *ctx)
{
    struct proxy_relays *r = ctx->relays;

    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->stopped = true;
    while (r->running > 0)
        pthread_cond_wait(&r->idle, &r->mu);
    pthread_mutex_unlock(&r->mu);
}

void proxy_relays_free(struct proxy_relays *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->idle);
    free(r);
}

/* Whether a relay may start (counted until relay_end); false once shutdown began. */
static bool relay_begin(struct proxy_relays *r)
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

static void relay_end(struct proxy_relays *r)
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
    struct proxy_relays *relays = p->ctx->relays;
    struct fetch_request rq = {
        .method = req->method,
        .url = p->url,
        .headers = (const char *const *)p->lines,
        .body = req->body,
        .body_len = req->body_len,
        .timeout_ms = PROXY_TIMEOUT_MS,
        .max_response = PROXY_BODY_MAX,
        .only_origin = p->upstream,
    };

    p->err = fetch_do(&p->policy, &rq, &p->fr, &p->diag);
    http_resume(req);
    relay_end(relays);
    return NULL;
}

bool proxy_target_ok(const char *raw)
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

sb_err proxy_upstream_url(const char *config_url, const char *path, const char *query, char **out)
{
    struct net_url u = {0};
    char *enc = NULL;
    sb_err err = SB_ERR_INVALID;

    *out = NULL;
    if (!proxy_target_ok(path) || strlen(path) > PROXY_PATH_MAX)
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

sb_err proxy_start(struct sb_ctx *ctx, const struct proxy_target *t, struct http_request *req,
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
    if (t->policy->allowed_hosts && !(p->policy.allowed_hosts = strdup(t->policy->allowed_hosts))) {
        proxy_free(p);
        return SB_ERR_NOMEM;
    }
    if (fetch_url_origin(t->page_url, p->upstream, sizeof(p->upstream)) != SB_OK) {
        proxy_free(p);
        proxy_plain(resp, 404, "This app's configurationUrl is not an http(s) URL.");
        return SB_OK;
    }
    if ((size_t)snprintf(p->sandbox, sizeof(p->sandbox), "%s", t->sandbox) >= sizeof(p->sandbox) ||
        !http_query_string(req, query, sizeof(query))) {
        proxy_free(p);
        proxy_plain(resp, 414, "The request's URL is too long to relay.");
        return SB_OK;
    }
    err = proxy_upstream_url(t->page_url, req->path, query, &p->url);
    if (err) {
        proxy_free(p);
        if (err != SB_ERR_INVALID)
            return err;
        proxy_plain(resp, 400,
                    "This request cannot be relayed to the configuration page's origin.");
        return SB_OK;
    }
    http_headers_each(req, forward_header, p);
    in_flight = atomic_fetch_add(&ctx->metrics->proxy_in_flight, 1);
    if (in_flight >= PROXY_MAX_IN_FLIGHT || !relay_begin(ctx->relays)) {
        atomic_fetch_sub(&ctx->metrics->proxy_in_flight, 1);
        proxy_free(p);
        proxy_plain(resp, 503,
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

                if (proxy_set_cookie_rewrite(v, cookie, sizeof(cookie)))
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

void proxy_finish(struct sb_ctx *ctx, struct http_request *req, struct http_response *resp)
{
    struct proxy *p = req->state;

    req->state = NULL;
    atomic_fetch_sub(&ctx->metrics->proxy_in_flight, 1);
    if (p->err) {
        sb_log_info("configuration page %s: %s", p->url, p->diag.message);
        proxy_plain(resp, p->err == SB_ERR_FORBIDDEN ? 403 : 502,
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
