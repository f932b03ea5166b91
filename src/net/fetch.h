/*
 * fetch.h: the one outbound HTTP client (libcurl easy API). Blocking: call it from worker
 * threads (the outbox), never from an HTTP handler thread.
 *
 * Safety rules, checked before anything is sent:
 * - the URL parses (net/url.h) and its scheme is https, or http when the URL's host:port is in
 *   the policy's allowed hosts (the organisation setting outboundAllowedHosts: test services and
 *   internal hosts an administrator names);
 * - every address the host resolves to is public (net_addr_is_public), unless host:port is in
 *   the allowed hosts;
 * - the connection goes only to the address that was checked (the name is pinned with
 *   CURLOPT_RESOLVE and the socket callback refuses any other address), so a DNS answer that
 *   changes between check and connect (DNS rebinding) cannot redirect the call;
 * - with fetch_request.only_origin, nothing but that origin (the configuration-page proxy);
 * - redirects are never followed: a 3xx is returned as the response; proxies from the
 *   environment are ignored.
 * Refusals are SB_ERR_FORBIDDEN with diag code "outboundRefused" and a message saying why; a
 * time-out is SB_ERR_UNAVAILABLE "outboundTimeout"; other network failures SB_ERR_UNAVAILABLE
 * "outboundFailed"; a body over max_response SB_ERR_TOO_LARGE "outboundTooLarge".
 *
 * The fetcher reads no setting and no store: the caller passes the policy (struct
 * fetch_policy), which services take from the organisation (org_fetch_policy, org/org.h) just
 * before the call, so that a changed list applies at once.
 *
 * fetch_global_init() must run once before any thread uses fetch_do (main does it).
 */
#ifndef SB_NET_FETCH_H
#define SB_NET_FETCH_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>

#define FETCH_DEFAULT_TIMEOUT_MS 10000
#define FETCH_DEFAULT_MAX_RESPONSE (1024 * 1024)
#define FETCH_MAX_HEADERS (64 * 1024) /* response header block */

/* What a request may reach beyond public https hosts. */
struct fetch_policy {
    /* JSON array text of "host" / "host:port" entries (net_url_host_listed) where plain http and
     * non-public addresses are allowed; NULL for none. */
    char *allowed_hosts;
};

struct fetch_request {
    const char *method;         /* "GET", "POST", ... */
    const char *url;            /* http or https */
    const char *const *headers; /* NULL-terminated "Name: value" lines, or NULL */
    const void *body;
    size_t body_len;
    long timeout_ms;     /* the whole exchange; 0 = 10000 */
    size_t max_response; /* body bytes accepted; more = SB_ERR_TOO_LARGE; 0 = 1 MiB */
    /* When set, the only origin this request may reach (fetch_url_origin form): a URL whose
     * scheme, host or port differ is refused ("outboundRefused") before anything is resolved,
     * and the connection is pinned to that host's checked address as for every request. */
    const char *only_origin;
};

struct fetch_response {
    long status;
    char *headers; /* the raw response header block, heap */
    char *body;    /* heap, NUL-terminated */
    size_t body_len;
};

sb_err fetch_global_init(void);
void fetch_global_cleanup(void);

sb_err fetch_do(const struct fetch_policy *policy, const struct fetch_request *rq,
                struct fetch_response *out, struct sb_diag *diag);
void fetch_response_free(struct fetch_response *r);
/* A response header's value (case-insensitive name, surrounding blanks trimmed), copied into
 * buf; false when absent (or when buf is too small). */
bool fetch_header(const struct fetch_response *r, const char *name, char *buf, size_t cap);

/* The checks of fetch_do that need no name resolution (scheme, http only for allowed hosts),
 * for a request handler that wants to refuse at once; the same refusals as fetch_do. */
sb_err fetch_precheck(const struct fetch_policy *policy, const char *url, struct sb_diag *diag);
/* Scheme and host (lower-case; IPv6 without brackets) and port (the scheme's default when
 * absent) of url. */
sb_err fetch_url_parts(const char *url, char *scheme, size_t scheme_cap, char *host,
                       size_t host_cap, int *port);

/* The origin of an http(s) URL ("https://host[:port]", scheme and host lower-case, default
 * port omitted), as used for token audiences and target checks. */
sb_err fetch_url_origin(const char *url, char *out, size_t cap);

#endif
