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
 * The origin is separate from the main client's (no Switchboard cookie or storage is reachable;
 * Switchboard's session cookie is stripped from proxied requests anyway), and separate per app.
 * The proxy reaches only the configurationUrl's origin, and only when its host is in the app's
 * validDomains; the outbound rules (https, or hosts in outboundAllowedHosts) apply as for every
 * outbound request. Requests are relayed from a worker thread, never an HTTP thread.
 */
#ifndef SB_APPHOST_H
#define SB_APPHOST_H

#include "core/sb.h"
#include "http/http.h"

#include <stdbool.h>

#define APPHOST_URL_MAX 640
#define APPHOST_PREFIX "/__switchboard/"
#define APPHOST_BODY_MAX (4 * 1024 * 1024) /* a proxied request or response body */

/* The apps URL template for a public URL when --apps-url is not given:
 * {scheme}://{app}.apps.{host}[:port], or {app}.apps.localhost when the host is an IP address
 * (browsers resolve *.localhost to the loopback interface). */
sb_err apphost_default_template(const char *public_url, char *out, size_t cap);
/* Checks an --apps-url template: http(s)://, exactly one "{app}" in the host, no path. */
bool apphost_template_ok(const char *tmpl);

/* The app's sandbox origin and the URL of its host frame. */
sb_err apphost_origin(const struct sb_ctx *ctx, const char *app_id, char *out, size_t cap);
sb_err apphost_frame_url(const struct sb_ctx *ctx, const char *app_id, char *out, size_t cap);

/* Whether the request is addressed to a sandbox origin (by its Host header); sets app_id. */
bool apphost_match(const struct sb_ctx *ctx, const struct http_request *req,
                   char app_id[SB_ID_LEN + 1]);

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
