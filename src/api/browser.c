/*
 * browser.c: what keeps other sites (and app sandboxes, which are subdomains of ours) from
 * using a signed-in browser: the session cookie's name and the same-origin checks of
 * cookie-authenticated and sign-in requests.
 */
#include "api/api.h"

#include "core/config.h"

#include <string.h>
#include <strings.h>

/* "scheme://host[:port]" of an absolute URL, lower-cased, without a default port (80 for
 * http, 443 for https), into out; false when url has no scheme and host. */
static bool origin_of(const char *url, size_t len, char *out, size_t cap)
{
    const char *sep = memmem(url, len, "://", 3), *host, *end, *colon;
    size_t n;

    if (!sep || sep == url)
        return false;
    host = sep + 3;
    end = host;
    while (end < url + len && *end != '/' && *end != '?' && *end != '#')
        end++;
    if (end == host)
        return false;
    /* the port, unless the host ends in an IPv6 literal's ']' */
    colon = end;
    while (colon > host && colon[-1] != ':' && colon[-1] != ']')
        colon--;
    if (colon > host && colon[-1] == ':') {
        const char *port = colon;
        size_t plen = (size_t)(end - port);
        bool dflt = (sep - url == 4 && !strncasecmp(url, "http", 4) && plen == 2 &&
                     !memcmp(port, "80", 2)) ||
                    (sep - url == 5 && !strncasecmp(url, "https", 5) && plen == 3 &&
                     !memcmp(port, "443", 3));
        if (dflt)
            end = colon - 1;
    }
    n = (size_t)(end - url);
    if (n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (url[i] >= 'A' && url[i] <= 'Z') ? (char)(url[i] - 'A' + 'a') : url[i];
    out[n] = '\0';
    return true;
}

bool api_origin_ok(const struct api_call *c)
{
    const char *origin = http_header(c->req, "Origin");
    const char *site = http_header(c->req, "Sec-Fetch-Site");
    const char *pub = c->ctx->cfg->public_url;
    char ours[512], theirs[512];

    /* A sandbox origin is "same-site" to us, never "same-origin". */
    if (site && strcasecmp(site, "same-origin") != 0)
        return false;
    if (!origin)
        return true; /* browsers send Origin with every POST, PUT, PATCH and DELETE: not one */
    return origin_of(pub, strlen(pub), ours, sizeof(ours)) &&
           origin_of(origin, strlen(origin), theirs, sizeof(theirs)) && !strcmp(ours, theirs);
}

const char *api_session_cookie(const struct sb_ctx *ctx)
{
    return strncasecmp(ctx->cfg->public_url, "https:", 6) == 0 ? "__Host-sb_session" : "sb_session";
}
