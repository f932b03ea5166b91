/*
 * fetch.c: outbound HTTP with the SSRF guard (see fetch.h).
 */
#include "net/fetch.h"

#include "core/buf.h"
#include "net/addr.h"
#include "net/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

struct sink {
    struct sb_buf b;
    size_t max;
    bool too_large;
    bool failed;
};

/* The one address the connection may use. */
struct pin {
    int family;
    unsigned char addr[16];
};

struct target {
    char scheme[16]; /* as struct net_url's */
    char host[256];  /* lower-case; IPv6 literals without brackets */
    int port;
};

sb_err fetch_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? SB_OK : SB_ERR_IO;
}

void fetch_global_cleanup(void)
{
    curl_global_cleanup();
}

/* Scheme, host and port of url (net_url_parse: the one parser). */
static sb_err parse_target(const char *url, struct target *t)
{
    struct net_url u;
    sb_err err = net_url_parse(url, 0, &u);

    if (err)
        return err;
    if (u.port < 1) {
        err = SB_ERR_INVALID;
        goto out;
    }
    snprintf(t->scheme, sizeof(t->scheme), "%s", u.scheme);
    snprintf(t->host, sizeof(t->host), "%s", u.host);
    t->port = u.port;
out:
    net_url_free(&u);
    return err;
}

sb_err fetch_url_origin(const char *url, char *out, size_t cap)
{
    struct net_url u;
    sb_err err = net_url_parse(url, 0, &u);

    if (!err)
        err = net_url_origin(&u, out, cap);
    net_url_free(&u);
    return err;
}

static void addr_text(const struct sockaddr *sa, char *buf, size_t cap)
{
    const void *a = sa->sa_family == AF_INET6
                        ? (const void *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr
                        : (const void *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;

    if (!inet_ntop(sa->sa_family, a, buf, (socklen_t)cap))
        snprintf(buf, cap, "?");
}

static void pin_set(struct pin *p, const struct sockaddr *sa)
{
    memset(p, 0, sizeof(*p));
    p->family = sa->sa_family;
    if (sa->sa_family == AF_INET6)
        memcpy(p->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    else
        memcpy(p->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
}

static bool pin_matches(const struct pin *p, const struct sockaddr *sa)
{
    struct pin q;

    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
        return false;
    pin_set(&q, sa);
    return memcmp(p, &q, sizeof(q)) == 0;
}

/* Resolves t and checks every address; pins the first one. */
static sb_err resolve_checked(const struct target *t, bool allowed, struct pin *pin,
                              char *pinned_text, size_t cap, struct sb_diag *diag)
{
    struct addrinfo hints, *res = NULL;
    char port[8], text[INET6_ADDRSTRLEN];
    sb_err err = SB_OK;
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof(port), "%d", t->port);
    rc = getaddrinfo(t->host, port, &hints, &res);
    if (rc != 0 || !res) {
        if (res)
            freeaddrinfo(res);
        return sb_fail(diag, SB_ERR_UNAVAILABLE, "outboundFailed", "cannot resolve %s: %s", t->host,
                       gai_strerror(rc));
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
            continue;
        addr_text(ai->ai_addr, text, sizeof(text));
        if (!allowed && !net_addr_is_public(ai->ai_addr)) {
            err = sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                          "%s resolves to %s, which is not a public address (an administrator can "
                          "allow %s:%d in outboundAllowedHosts)",
                          t->host, text, t->host, t->port);
            goto out;
        }
        if (!pinned_text[0]) {
            pin_set(pin, ai->ai_addr);
            snprintf(pinned_text, cap, "%s", text);
        }
    }
    if (!pinned_text[0])
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "outboundFailed", "%s has no IP address", t->host);
out:
    freeaddrinfo(res);
    return err;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;

    if (s->b.len + len > s->max) {
        s->too_large = true;
        return 0;
    }
    if (sb_buf_append(&s->b, data, len) != SB_OK) {
        s->failed = true;
        return 0;
    }
    return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;

    /* Interim responses (100 Continue) come first: keep only the final header block. */
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
        s->b.len = 0;
    return on_body(data, size, n, arg);
}

static curl_socket_t on_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
    const struct pin *p = arg;

    if (purpose != CURLSOCKTYPE_IPCXN || !pin_matches(p, &a->addr))
        return CURL_SOCKET_BAD;
    return socket(a->family, a->socktype, a->protocol);
}

static sb_err check_target(const struct fetch_policy *policy, const char *url, struct target *t,
                           bool *allowed, struct sb_diag *diag)
{
    if (!url || parse_target(url, t) != SB_OK)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                       "the URL is not a valid URL with a host");
    if (strcmp(t->scheme, "https") != 0 && strcmp(t->scheme, "http") != 0)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                       "only https URLs are allowed (not %s)", t->scheme);
    *allowed = policy && net_url_host_listed(policy->allowed_hosts, t->host, t->port);
    if (strcmp(t->scheme, "http") == 0 && !*allowed)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                       "plain http is allowed only for hosts in outboundAllowedHosts; use https "
                       "for %s:%d",
                       t->host, t->port);
    return SB_OK;
}

sb_err fetch_precheck(const struct fetch_policy *policy, const char *url, struct sb_diag *diag)
{
    struct target t;
    bool allowed = false;

    memset(&t, 0, sizeof(t));
    return check_target(policy, url, &t, &allowed, diag);
}

sb_err fetch_url_parts(const char *url, char *scheme, size_t scheme_cap, char *host,
                       size_t host_cap, int *port)
{
    struct target t;
    sb_err err = parse_target(url, &t);

    if (err)
        return err;
    if ((size_t)snprintf(scheme, scheme_cap, "%s", t.scheme) >= scheme_cap ||
        (size_t)snprintf(host, host_cap, "%s", t.host) >= host_cap)
        return SB_ERR_INVALID;
    *port = t.port;
    return SB_OK;
}

static struct curl_slist *build_headers(const struct fetch_request *rq, bool *ok)
{
    struct curl_slist *list = NULL, *next;

    *ok = true;
    /* No "Expect: 100-continue" round trip for bodies. */
    next = curl_slist_append(list, "Expect:");
    if (!next)
        goto fail;
    list = next;
    for (const char *const *h = rq->headers; h && *h; h++) {
        if (strchr(*h, '\r') || strchr(*h, '\n'))
            continue; /* no header injection */
        next = curl_slist_append(list, *h);
        if (!next)
            goto fail;
        list = next;
    }
    return list;
fail:
    *ok = false;
    curl_slist_free_all(list);
    return NULL;
}

sb_err fetch_do(const struct fetch_policy *policy, const struct fetch_request *rq,
                struct fetch_response *out, struct sb_diag *diag)
{
    struct target t;
    struct pin pin;
    struct sink body = {{0}, 0, false, false}, head = {{0}, FETCH_MAX_HEADERS, false, false};
    struct curl_slist *headers = NULL, *resolve = NULL;
    char pinned[INET6_ADDRSTRLEN + 2] = "", entry[400];
    const char *method = rq->method ? rq->method : "GET";
    long timeout = rq->timeout_ms > 0 ? rq->timeout_ms : FETCH_DEFAULT_TIMEOUT_MS;
    bool allowed = false, ok;
    unsigned char tmp[16];
    CURL *h = NULL;
    CURLcode rc;
    sb_err err;

    memset(out, 0, sizeof(*out));
    memset(&t, 0, sizeof(t));
    memset(&pin, 0, sizeof(pin));
    body.max = rq->max_response ? rq->max_response : FETCH_DEFAULT_MAX_RESPONSE;
    err = check_target(policy, rq->url, &t, &allowed, diag);
    if (!err && rq->only_origin) {
        char origin[512];

        if (fetch_url_origin(rq->url, origin, sizeof(origin)) != SB_OK ||
            strcmp(origin, rq->only_origin) != 0)
            err = sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                          "this request may reach only %s", rq->only_origin);
    }
    if (!err)
        err = resolve_checked(&t, allowed, &pin, pinned, sizeof(pinned), diag);
    if (err)
        return err;
    h = curl_easy_init();
    headers = build_headers(rq, &ok);
    if (!h || !ok) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    /* Pin the name to the checked address; literal addresses need no resolving. */
    if (inet_pton(AF_INET, t.host, tmp) != 1 && inet_pton(AF_INET6, t.host, tmp) != 1) {
        snprintf(entry, sizeof(entry), "%s:%d:%s%s%s", t.host, t.port,
                 pin.family == AF_INET6 ? "[" : "", pinned, pin.family == AF_INET6 ? "]" : "");
        resolve = curl_slist_append(NULL, entry);
        if (!resolve) {
            err = SB_ERR_NOMEM;
            goto out;
        }
    }
    curl_easy_setopt(h, CURLOPT_URL, rq->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Switchboard");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (resolve)
        curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &pin);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)body.max);
    if (strcmp(method, "POST") == 0 || rq->body) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
    }
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);

    rc = curl_easy_perform(h);
    if (body.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        err = sb_fail(diag, SB_ERR_TOO_LARGE, "outboundTooLarge",
                      "the response from %s is larger than %zu bytes", t.host, body.max);
        goto out;
    }
    if (body.failed || head.failed) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "outboundTimeout",
                      "%s did not answer within %ld ms", t.host, timeout);
        goto out;
    }
    if (head.too_large) {
        err = sb_fail(diag, SB_ERR_TOO_LARGE, "outboundTooLarge",
                      "the response headers from %s are too large", t.host);
        goto out;
    }
    if (rc != CURLE_OK) {
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "outboundFailed", "calling %s:%d failed: %s",
                      t.host, t.port, curl_easy_strerror(rc));
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    if (sb_buf_append(&body.b, "", 0) != SB_OK || sb_buf_append(&head.b, "", 0) != SB_OK) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    out->body_len = body.b.len;
    out->body = sb_buf_take(&body.b);
    out->headers = sb_buf_take(&head.b);
out:
    sb_buf_free(&body.b);
    sb_buf_free(&head.b);
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    if (h)
        curl_easy_cleanup(h);
    return err;
}

void fetch_response_free(struct fetch_response *r)
{
    if (!r)
        return;
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

bool fetch_header(const struct fetch_response *r, const char *name, char *buf, size_t cap)
{
    size_t nl = strlen(name);
    const char *line = r->headers;

    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);

        if (len > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0) {
            const char *v = line + nl + 1;
            const char *e = line + len;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if ((size_t)(e - v) >= cap)
                return false;
            memcpy(buf, v, (size_t)(e - v));
            buf[e - v] = '\0';
            return true;
        }
        line = end ? end + 1 : NULL;
    }
    return false;
}
