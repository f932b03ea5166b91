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
 *   everything else                                        relayed by the configuration-page
 *       proxy (proxy/proxy.h) to the origin of the app's configurationUrl, so the vendor's page
 *       and its own API calls share the host frame's origin.
 * Only for a signed-in person who may configure the app: a ticket in the frame URL becomes a
 * session cookie of the sandbox origin, and every other request needs it (403 otherwise).
 * The origin is separate from the main client's (no Switchboard storage is reachable;
 * Switchboard's cookies are stripped from proxied requests and never set by proxied responses),
 * and separate per app. This module decides which app and who may; a request is relayed only
 * when the configurationUrl's host is in the app's validDomains, with the organisation's
 * outbound policy (https, or hosts in outboundAllowedHosts) read here and passed to the proxy.
 */
#ifndef SB_APPHOST_H
#define SB_APPHOST_H

#include "core/sb.h"
#include "http/http.h"
#include "proxy/proxy.h"

#include <stdbool.h>
#include <stdint.h>

#define APPHOST_URL_MAX PROXY_URL_MAX
#define APPHOST_PREFIX "/__switchboard/"
#define APPHOST_BODY_MAX PROXY_BODY_MAX /* the body limit dispatch.c sets for sandbox requests */

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
#define APPHOST_COOKIE PROXY_SANDBOX_COOKIE
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

/* Whether the request is addressed to a sandbox origin (by its Host header); sets app_id. */
bool apphost_match(const struct sb_ctx *ctx, const struct http_request *req,
                   char app_id[SB_ID_LEN + 1]);

/* Answers a request to a sandbox origin; may defer it (req->resumed on the second call). */
void apphost_handle(struct sb_ctx *ctx, const char *app_id, struct http_request *req,
                    struct http_response *resp);

#endif
