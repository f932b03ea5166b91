/*
 * proxy.h: the configuration-page proxy. A request to an app's sandbox origin that is not the
 * host frame's own (connectors/apphost.h decides which app and who may) is relayed to the origin
 * of the app's configurationUrl, so that the vendor's page and its own API calls share the host
 * frame's origin.
 *
 * Only origin-form request targets are relayed (proxy_target_ok, checked by the caller on the
 * raw target); the upstream URL is built from parts (net_url_with_path) and the outbound client
 * reaches nothing but that origin (fetch_request.only_origin), under the policy the caller
 * passes (outboundAllowedHosts: the proxy reads no setting). Requests are relayed from a worker
 * thread, never an HTTP thread, with at most PROXY_MAX_IN_FLIGHT at once (503 beyond).
 * Switchboard's cookies (sb_session, __Host-sb_session, PROXY_SANDBOX_COOKIE) never go upstream
 * and are never set by a relayed response; hop-by-hop headers are dropped; Origin, Referer and
 * Location are mapped between the sandbox and the upstream origin; the vendor's
 * Content-Security-Policy and X-Frame-Options are left out (they name Teams' hosts as frame
 * ancestors).
 */
#ifndef SB_PROXY_H
#define SB_PROXY_H

#include "core/sb.h"
#include "http/http.h"
#include "net/fetch.h"

#include <stdbool.h>

#define PROXY_URL_MAX 640
#define PROXY_BODY_MAX (4 * 1024 * 1024)  /* a relayed request or response body */
#define PROXY_PATH_MAX 4096               /* a relayed request's decoded path */
#define PROXY_SANDBOX_COOKIE "sb_sandbox" /* the sandbox session (connectors/apphost.h) */

/* Whether a raw request target (as received, before percent-decoding) is in origin form: it
 * starts with "/" and not with "//". Nothing else is relayed (absolute form, "@host", "*"). */
bool proxy_target_ok(const char *raw);

/* An answer of the sandbox origin's own (not the vendor's): plain text, never cached. */
void proxy_plain(struct http_response *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The upstream URL of a relayed request, built from parts with the URL module: scheme, host
 * and port of page_url, then path (percent-decoded; encoded again here; must pass
 * proxy_target_ok, at most PROXY_PATH_MAX bytes) and query (already encoded, without "?";
 * may be ""). *out is heap. SB_ERR_INVALID for a path or URL that cannot be relayed. */
sb_err proxy_upstream_url(const char *page_url, const char *path, const char *query, char **out);

/* Where a request goes. */
struct proxy_target {
    const char *sandbox;               /* the origin the browser sees (Origin, Location) */
    const char *page_url;              /* the configuration page: its origin is upstream */
    const struct fetch_policy *policy; /* copied: the relay outlives the caller */
};

/* Relays req: defers it and answers on the resumed call with proxy_finish; or answers at once
 * (400, 404, 414, 503). SB_ERR_NOMEM when nothing was answered. */
sb_err proxy_start(struct sb_ctx *ctx, const struct proxy_target *t, struct http_request *req,
                   struct http_response *resp);
void proxy_finish(struct sb_ctx *ctx, struct http_request *req, struct http_response *resp);

/* The Cookie header forwarded upstream: in without Switchboard's cookies (sb_session,
 * __Host-sb_session, PROXY_SANDBOX_COOKIE); *out is heap, NULL when nothing is left. */
sb_err proxy_cookie_filter(const char *in, char **out);
/* A vendor's Set-Cookie value rewritten host-only for the sandbox origin: name=value plus only
 * Path, Expires, Max-Age, Secure, HttpOnly, SameSite, Partitioned (Domain and unknown attributes
 * dropped, in any spelling). False: drop the header (one of Switchboard's names, a nameless or
 * malformed cookie, or too long for cap). */
bool proxy_set_cookie_rewrite(const char *in, char *out, size_t cap);
/* Finds the next cookie called name in a Cookie header from p on and copies its value into out
 * (values that do not fit in cap are skipped); returns where to go on, or NULL when none is left.
 */
const char *proxy_cookie_next(const char *p, const char *name, char *out, size_t cap);

/* The relay threads are counted so that shutdown can wait for them: each one resumes its
 * connection when done, which must happen before the HTTP server stops. */
sb_err proxy_relays_new(struct proxy_relays **out);
/* Refuses new relays from now on (503) and waits until the running ones have finished. */
void proxy_stop(struct sb_ctx *ctx);
/* After proxy_stop(). */
void proxy_relays_free(struct proxy_relays *r);

#endif
