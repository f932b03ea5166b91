/*
 * browser.c: what keeps other sites (and app sandboxes, which are subdomains of ours) from
 * using a signed-in browser: the session cookie's name and the same-origin checks of
 * cookie-authenticated and sign-in requests.
 */
#include "api/api.h"

#include "core/config.h"
#include "net/url.h"

#include <string.h>
#include <strings.h>

/* Whether two URLs parse (net/url.h) and have one origin (b without a user name): scheme,
 * host and port as a browser and libcurl read them, so "https://EXAMPLE.com:443" is
 * "https://example.com". */
static bool same_origin(const char *a, const char *b)
{
    struct net_url ua, ub;
    bool same = false;

    if (net_url_parse(a, 0, &ua) != SB_OK)
        return false;
    if (net_url_parse(b, 0, &ub) == SB_OK) {
        same = !ub.userinfo && net_url_same_origin(&ua, &ub);
        net_url_free(&ub);
    }
    net_url_free(&ua);
    return same;
}

bool api_origin_ok(const struct api_call *c)
{
    const char *origin = http_header(c->req, "Origin");
    const char *site = http_header(c->req, "Sec-Fetch-Site");
    const char *pub = c->ctx->cfg->public_url;

    /* A sandbox origin is "same-site" to us, never "same-origin". */
    if (site && strcasecmp(site, "same-origin") != 0)
        return false;
    if (!origin)
        return true; /* browsers send Origin with every POST, PUT, PATCH and DELETE: not one */
    return same_origin(pub, origin);
}

const char *api_session_cookie(const struct sb_ctx *ctx)
{
    return strncasecmp(ctx->cfg->public_url, "https:", 6) == 0 ? "__Host-sb_session" : "sb_session";
}
