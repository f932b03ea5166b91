/*
 * apphost.h: the configuration-page host's server side: one sandbox origin per app.
 *
 * @microsoft/teams-js trusts the messages of its parent window only when they come from its own
 * origin, from Microsoft's hosts, or (over https) from origins the page itself listed. So that
 * vendors' pages run unmodified, each app gets its own origin, e.g.
 * http://{app-id}.apps.localhost:8080 (--apps-url, a template with "{app}"), that serves two
 * things and nothing of Switchboard's:
 *   /__switchboard/host.html, /__switchboard/apphost.js  the host frame (web/src/apphost.js),
 *       which speaks teams-js to the page and relays to the main client with exact origin checks;
 *   everything else                                        a reverse proxy to the origin of the
 *       app's configurationUrl, so the vendor's page and its own API calls share the host
 *       frame's origin.
 * Only for a signed-in person who may configure the app: a ticket in the frame URL becomes a
 * session cookie of the sandbox origin, and every other request needs it (403 otherwise).
 * The origin is separate from the main client's (no Switchboard storage is reachable;
 * Switchboard's cookies are stripped from proxied requests and never set by proxied responses),
 * and separate per app. The proxy accepts only origin-form request targets and reaches only the
 * configurationUrl's origin (URL built from parts, connection pinned to that host's checked
 * address), and only when its host is in the app's validDomains; the outbound rules (https, or
 * hosts in outboundAllowedHosts) apply as for every outbound request. Requests are relayed from a
 * worker thread, never an HTTP thread.
 */
#ifndef SB_APPHOST_H
#define SB_APPHOST_H

#include "core/sb.h"
#include "http/http.h"

#include <stdbool.h>
#include <stdint.h>

#define APPHOST_URL_MAX 640
#define APPHOST_PREFIX "/__switchboard/"
#define APPHOST_BODY_MAX (4 * 1024 * 1024) /* a proxied request or response body */
#define APPHOST_PATH_MAX 4096              /* a proxied request's decoded path */

/* The apps URL template for a public URL when --apps-url is not given:
 * {scheme}://{app}.apps.{host}[:port], or {app}.apps.localhost when the host is an IP address
 * (browsers resolve *.localhost to the loopback interface). */
sb_err apphost_default_template(const char *public_url, char *out, size_t cap);
/* Checks an --apps-url template: http(s)://, exactly one "{app}" in the host, no path. */
bool apphost_template_ok(const char *tmpl);

/* The app's sandbox origin. */
sb_err apphost_origin(const struct sb_ctx *ctx, const char *app_id, char *out, size_t cap);
/* The URL of the app's host frame for user_id, with a ticket (see below). Hand it only to a
 * caller who may configure the app. */
sb_err apphost_frame_url(const struct sb_ctx *ctx, const char *app_id, const char *user_id,
                         char *out, size_t cap);

/* Who may use a sandbox. The frame URL carries a ticket, "<user id>.<expiry ms>.<mac>", the MAC
 * an HMAC-SHA256 (key derived from the server's webhook key) over kind, app id, user id and
 * expiry, valid APPHOST_TICKET_TTL_MS. The host frame's request exchanges it for a session
 * cookie APPHOST_COOKIE (same form, kind "session", APPHOST_SESSION_TTL_MS), host-only on the
 * sandbox origin, HttpOnly, and SameSite=None; Secure; Partitioned where the browser accepts
 * Secure (https, *.localhost). Every other request to the sandbox needs that cookie, for a user
 * who still exists: otherwise 403 and nothing is proxied. MACs are compared in constant time. */
#define APPHOST_COOKIE "sb_sandbox"
#define APPHOST_TICKET_TTL_MS (5 * 60 * 1000)
#define APPHOST_SESSION_TTL_MS (8 * 60 * 60 * 1000)
#define APPHOST_TOKEN_MAX 128
#define APPHOST_FRAME_URL_MAX (APPHOST_URL_MAX + 64 + APPHOST_TOKEN_MAX)

enum apphost_token_kind { APPHOST_TOKEN_TICKET, APPHOST_TOKEN_SESSION };

sb_err apphost_token_make(const unsigned char key[32], enum apphost_token_kind kind,
                          const char *app_id, const char *user_id, int64_t expires_ms, char *out,
                          size_t cap);
/* Whether token is a valid token of kind for app_id, unexpired at now_ms; sets user_id. */
bool apphost_token_check(const unsigned char key[32], enum apphost_token_kind kind,
                         const char *app_id, const char *token, int64_t now_ms,
                         char user_id[SB_ID_LEN + 1]);

/* The Cookie header forwarded upstream: in without Switchboard's cookies (sb_session,
 * __Host-sb_session, APPHOST_COOKIE); *out is heap, NULL when nothing is left. */
sb_err apphost_cookie_filter(const char *in, char **out);
/* A vendor's Set-Cookie value rewritten host-only for the sandbox origin: name=value plus only
 * Path, Expires, Max-Age, Secure, HttpOnly, SameSite, Partitioned (Domain and unknown attributes
 * dropped, in any spelling). False: drop the header (one of Switchboard's names, a nameless or
 * malformed cookie, or too long for cap). */
bool apphost_set_cookie_rewrite(const char *in, char *out, size_t cap);
/* Finds the next cookie called name in a Cookie header from p on and copies its value into out
 * (values that do not fit in cap are skipped); returns where to go on, or NULL when none is left.
 */
const char *apphost_cookie_next(const char *p, const char *name, char *out, size_t cap);

/* Whether the request is addressed to a sandbox origin (by its Host header); sets app_id. */
bool apphost_match(const struct sb_ctx *ctx, const struct http_request *req,
                   char app_id[SB_ID_LEN + 1]);

/* Whether a raw request target (as received, before percent-decoding) is in origin form: it
 * starts with "/" and not with "//". Nothing else is relayed (absolute form, "@host", "*"). */
bool apphost_target_ok(const char *raw);
/* The upstream URL of a proxied request, built from parts with libcurl's URL API: scheme, host
 * and port of config_url, then path (percent-decoded; encoded again here; must pass
 * apphost_target_ok, at most APPHOST_PATH_MAX bytes) and query (already encoded, without "?";
 * may be ""). *out is heap. SB_ERR_INVALID for a path or URL that cannot be relayed. */
sb_err apphost_upstream_url(const char *config_url, const char *path, const char *query,
                            char **out);

/* Answers a request to a sandbox origin; may defer it (req->resumed on the second call). */
void apphost_handle(struct sb_ctx *ctx, const char *app_id, struct http_request *req,
                    struct http_response *resp);

/* The proxy's relay threads are counted so that shutdown can wait for them: each one resumes
 * its connection when done, which must happen before the HTTP server stops. */
sb_err apphost_relays_new(struct apphost_relays **out);
/* Refuses new relays from now on (503) and waits until the running ones have finished. */
void apphost_stop(struct sb_ctx *ctx);
/* After apphost_stop(). */
void apphost_relays_free(struct apphost_relays *r);

#endif
