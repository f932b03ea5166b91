/*
 * url.c: parsing URLs with libcurl's CURLU, and the policy questions on the result (see url.h).
 */
#include "net/url.h"

#include "net/addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A port in the authority a (up to '/', '?' or '#') is 1 to 65535 in digits: curl reads an
 * empty port or port 0 as "no port" and would connect to the default one. */
static bool port_ok(const char *a)
{
    size_t len = strcspn(a, "/?#");
    const char *at = memrchr(a, '@', len), *h = at ? at + 1 : a, *end = a + len, *colon;
    long v = 0;

    if (*h == '[') {
        h = memchr(h, ']', (size_t)(end - h));
        if (!h)
            return false;
    }
    colon = memchr(h, ':', (size_t)(end - h));
    if (!colon)
        return true;
    if (colon + 1 == end)
        return false;
    for (const char *p = colon + 1; p < end; p++)
        if (!isdigit((unsigned char)*p) || (v = v * 10 + (*p - '0')) > 65535)
            return false;
    return v > 0;
}

/* "scheme://" followed by an authority that is not empty; no control characters, no
 * backslashes (browsers read them as '/'), spaces only when allowed. */
static bool text_ok(const char *s, unsigned flags)
{
    const char *p = s, *a;

    if (!isalpha((unsigned char)*p))
        return false;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (strncmp(p, "://", 3) != 0)
        return false;
    a = p + 3;
    if (*a == '\0' || strchr("/?#", *a) || !port_ok(a))
        return false;
    for (p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (c < 0x20 || c == 0x7f || c == '\\' || (c == ' ' && !(flags & NET_URL_ALLOW_SPACE)))
            return false;
    }
    return true;
}

static sb_err curl_err(CURLUcode rc)
{
    return rc == CURLUE_OUT_OF_MEMORY ? SB_ERR_NOMEM : SB_ERR_INVALID;
}

static sb_err set_host(struct net_url *out, const char *host)
{
    size_t hl = strlen(host);
    const char *h = host;

    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        h = host + 1;
        hl -= 2;
        out->ipv6 = true;
    }
    if (hl == 0 || hl > NET_URL_HOST_MAX)
        return SB_ERR_INVALID;
    for (size_t i = 0; i < hl; i++) {
        unsigned char c = (unsigned char)h[i];

        /* A decoded escape may have produced what no host may contain. */
        if (c <= ' ' || c == 0x7f || strchr("/?#@\\%", c))
            return SB_ERR_INVALID;
        if (c >= 0x80)
            out->idn = true;
        out->host[i] = (char)tolower(c);
    }
    out->host[hl] = '\0';
    out->kind = net_host_kind_of(out->host);
    return SB_OK;
}

static sb_err get_parts(CURLU *cu, struct net_url *out)
{
    char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *path = NULL, *query = NULL;
    CURLUcode rc;
    sb_err err;

    rc = curl_url_get(cu, CURLUPART_SCHEME, &scheme, 0);
    /* Not CURLU_PUNYCODE: libcurl 7.88 converts through libidn2 in the process locale (C in
     * the server, where it fails) and leaks when an allocation fails on that path. */
    if (rc == CURLUE_OK)
        rc = curl_url_get(cu, CURLUPART_HOST, &host, 0);
    if (rc != CURLUE_OK) {
        err = curl_err(rc);
        goto out;
    }
    err = SB_ERR_INVALID;
    if (strlen(scheme) >= sizeof(out->scheme))
        goto out;
    for (size_t i = 0; scheme[i]; i++)
        out->scheme[i] = (char)tolower((unsigned char)scheme[i]);
    err = set_host(out, host);
    if (err)
        goto out;
    rc = curl_url_get(cu, CURLUPART_PORT, &port, 0);
    out->port_given = rc == CURLUE_OK;
    if (rc == CURLUE_NO_PORT) {
        curl_free(port);
        port = NULL;
        rc = curl_url_get(cu, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
        if (rc == CURLUE_NO_PORT)
            rc = CURLUE_OK; /* a scheme curl does not know: no default */
    }
    if (rc != CURLUE_OK) {
        err = curl_err(rc);
        goto out;
    }
    out->port = port ? atoi(port) : 0;
    if (out->port_given && (out->port < 1 || out->port > 65535))
        goto out;
    rc = curl_url_get(cu, CURLUPART_USER, &user, 0);
    if (rc != CURLUE_OK && rc != CURLUE_NO_USER) {
        err = curl_err(rc);
        goto out;
    }
    out->userinfo = rc == CURLUE_OK;
    rc = curl_url_get(cu, CURLUPART_PATH, &path, 0);
    if (rc == CURLUE_OK)
        rc = curl_url_get(cu, CURLUPART_QUERY, &query, 0);
    if (rc != CURLUE_OK && rc != CURLUE_NO_QUERY) {
        err = curl_err(rc);
        goto out;
    }
    out->path = strdup(path);
    out->query = query ? strdup(query) : NULL;
    err = !out->path || (query && !out->query) ? SB_ERR_NOMEM : SB_OK;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(user);
    curl_free(path);
    curl_free(query);
    return err;
}

sb_err net_url_parse(const char *text, unsigned flags, struct net_url *out)
{
    unsigned cflags = CURLU_NON_SUPPORT_SCHEME;
    CURLU *cu = NULL;
    CURLUcode rc;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!text || !text_ok(text, flags))
        return SB_ERR_INVALID;
    if (flags & NET_URL_ALLOW_SPACE)
        cflags |= CURLU_ALLOW_SPACE;
    cu = curl_url();
    if (!cu)
        return SB_ERR_NOMEM;
    rc = curl_url_set(cu, CURLUPART_URL, text, cflags);
    err = rc == CURLUE_OK ? get_parts(cu, out) : curl_err(rc);
    curl_url_cleanup(cu);
    if (err)
        net_url_free(out);
    return err;
}

void net_url_free(struct net_url *u)
{
    if (!u)
        return;
    free(u->path);
    free(u->query);
    u->path = NULL;
    u->query = NULL;
}

bool net_url_is_https(const struct net_url *u)
{
    return strcmp(u->scheme, "https") == 0;
}

bool net_url_is_web(const struct net_url *u)
{
    return net_url_is_https(u) || strcmp(u->scheme, "http") == 0;
}

sb_err net_url_link(const char *text)
{
    struct net_url u;
    sb_err err = net_url_parse(text, NET_URL_ALLOW_SPACE, &u);

    if (!err && !net_url_is_web(&u))
        err = SB_ERR_INVALID;
    net_url_free(&u);
    return err;
}

bool net_url_is_loopback(const struct net_url *u)
{
    size_t hl = strlen(u->host);

    return u->kind == NET_HOST_LOOPBACK || strcmp(u->host, "localhost") == 0 ||
           (hl > 10 && strcmp(u->host + hl - 10, ".localhost") == 0);
}

/* The port a "host:port" pattern names (what follows its colon), or -1 when that is not a
 * number up to 65535 in digits only: "a:70x" is no pattern for port 70. */
static int pattern_port(const char *s)
{
    long v = 0;

    if (!*s)
        return -1;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s) || (v = v * 10 + (*s - '0')) > 65535)
            return -1;
    return (int)v;
}

bool net_url_domain_match(const char *d, const char *host, int port)
{
    const char *colon = strrchr(d, ':');
    size_t dl, hl = strlen(host);

    if (colon && strchr(d, ']') && colon < strchr(d, ']'))
        colon = NULL; /* a colon inside an IPv6 literal */
    if (colon && pattern_port(colon + 1) != port)
        return false;
    dl = colon ? (size_t)(colon - d) : strlen(d);
    if (dl > 2 && d[0] == '*' && d[1] == '.') {
        /* "*.contoso.com": a subdomain, not contoso.com itself. */
        size_t sl = dl - 1; /* ".contoso.com" */
        return hl > sl && strncasecmp(host + hl - sl, d + 1, sl) == 0;
    }
    return hl == dl && strncasecmp(host, d, dl) == 0;
}

bool net_url_host_matches(const struct net_url *u, const char *pattern)
{
    return net_url_domain_match(pattern, u->host, u->port);
}

bool net_url_domain_pattern_ok(const char *s)
{
    size_t len, label = 0;

    if (strncmp(s, "*.", 2) == 0)
        s += 2;
    len = strlen(s);
    if (len == 0 || len > 253)
        return false;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label == 0 || label > 63 || p[-1] == '-')
                return false;
            if (*p == '\0')
                return true;
            label = 0;
        } else if (isalnum((unsigned char)*p) || *p == '-') {
            if (label == 0 && *p == '-')
                return false;
            label++;
        } else {
            return false;
        }
    }
}

sb_err net_url_origin(const struct net_url *u, char *out, size_t cap)
{
    bool dflt;
    int n;

    if (!net_url_is_web(u))
        return SB_ERR_INVALID;
    dflt = !u->port_given || (net_url_is_https(u) ? u->port == 443 : u->port == 80);
    if (dflt)
        n = snprintf(out, cap, "%s://%s%s%s", u->scheme, u->ipv6 ? "[" : "", u->host,
                     u->ipv6 ? "]" : "");
    else
        n = snprintf(out, cap, "%s://%s%s%s:%d", u->scheme, u->ipv6 ? "[" : "", u->host,
                     u->ipv6 ? "]" : "", u->port);
    return n > 0 && (size_t)n < cap ? SB_OK : SB_ERR_INVALID;
}

bool net_url_same_origin(const struct net_url *a, const struct net_url *b)
{
    return net_url_is_web(a) && strcmp(a->scheme, b->scheme) == 0 &&
           strcmp(a->host, b->host) == 0 && a->port == b->port;
}

sb_err net_url_with_path(const struct net_url *u, const char *path, const char *query, char **out)
{
    CURLU *to = curl_url();
    char host[NET_URL_HOST_MAX + 3], port[8], *url = NULL;
    CURLUcode rc;
    sb_err err;

    *out = NULL;
    if (!to)
        return SB_ERR_NOMEM;
    snprintf(host, sizeof(host), "%s%s%s", u->ipv6 ? "[" : "", u->host, u->ipv6 ? "]" : "");
    snprintf(port, sizeof(port), "%d", u->port);
    rc = curl_url_set(to, CURLUPART_SCHEME, u->scheme, CURLU_NON_SUPPORT_SCHEME);
    if (!rc)
        rc = curl_url_set(to, CURLUPART_HOST, host, 0);
    if (!rc && u->port > 0)
        rc = curl_url_set(to, CURLUPART_PORT, port, 0);
    if (!rc)
        rc = curl_url_set(to, CURLUPART_PATH, path, 0);
    if (!rc && query && query[0])
        rc = curl_url_set(to, CURLUPART_QUERY, query, 0);
    if (!rc)
        rc = curl_url_get(to, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT);
    err = rc ? curl_err(rc) : SB_OK;
    if (!err) {
        *out = strdup(url);
        err = *out ? SB_OK : SB_ERR_NOMEM;
    }
    curl_free(url);
    curl_url_cleanup(to);
    return err;
}

bool net_url_host_listed(const char *list_json, const char *host, int port)
{
    char bare[300], with_port[320];
    json_t *list, *v;
    size_t i, len = strlen(host);
    bool found = false;

    if (!list_json || len >= sizeof(bare) - 2)
        return false;
    /* Entries spell IPv6 literals in brackets. */
    if (strchr(host, ':') && host[0] != '[')
        snprintf(bare, sizeof(bare), "[%s]", host);
    else
        snprintf(bare, sizeof(bare), "%s", host);
    snprintf(with_port, sizeof(with_port), "%s:%d", bare, port);
    list = json_loads(list_json, 0, NULL);
    json_array_foreach(list, i, v)
    {
        const char *e = json_string_value(v);

        if (e && (strcasecmp(e, with_port) == 0 || strcasecmp(e, bare) == 0)) {
            found = true;
            break;
        }
    }
    json_decref(list);
    return found;
}

bool net_url_host_entry_ok(const char *entry)
{
    char text[NET_URL_HOST_MAX + 24], back[NET_URL_HOST_MAX + 16];
    struct net_url u;
    bool ok;

    if (!entry[0] || strlen(entry) > NET_URL_HOST_MAX + 8)
        return false;
    snprintf(text, sizeof(text), "http://%s/", entry);
    if (net_url_parse(text, 0, &u) != SB_OK)
        return false;
    snprintf(back, sizeof(back), "%s%s%s", u.ipv6 ? "[" : "", u.host, u.ipv6 ? "]" : "");
    if (u.port_given)
        snprintf(back + strlen(back), sizeof(back) - strlen(back), ":%d", u.port);
    ok = !u.userinfo && !u.idn && !u.query && strcmp(u.path, "/") == 0 &&
         (!u.port_given || (u.port >= 1 && u.port <= 65535)) && strcasecmp(back, entry) == 0;
    net_url_free(&u);
    return ok;
}

static bool v4_in(uint32_t a, uint32_t net, int bits)
{
    return (a & (0xFFFFFFFFu << (32 - bits))) == net;
}

static enum net_host_kind v4_kind(uint32_t a)
{
    if (v4_in(a, 0x7F000000u, 8))
        return NET_HOST_LOOPBACK;
    if (v4_in(a, 0x0A000000u, 8) || v4_in(a, 0xAC100000u, 12) || v4_in(a, 0xC0A80000u, 16) ||
        v4_in(a, 0x64400000u, 10))
        return NET_HOST_PRIVATE;
    if (v4_in(a, 0xA9FE0000u, 16))
        return NET_HOST_LINK_LOCAL;
    return net_addr_ipv4_is_public(a) ? NET_HOST_PUBLIC : NET_HOST_RESERVED;
}

enum net_host_kind net_host_kind_of(const char *host)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    struct sockaddr_in6 sa6;
    struct in_addr v4;
    const unsigned char *a = sa6.sin6_addr.s6_addr;

    if (inet_pton(AF_INET, host, &v4) == 1)
        return v4_kind(ntohl(v4.s_addr));
    memset(&sa6, 0, sizeof(sa6));
    if (inet_pton(AF_INET6, host, &sa6.sin6_addr) != 1)
        return NET_HOST_NAME;
    sa6.sin6_family = AF_INET6;
    if (memcmp(a, mapped, sizeof(mapped)) == 0)
        return v4_kind((uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 | (uint32_t)a[14] << 8 |
                       (uint32_t)a[15]);
    if (IN6_IS_ADDR_LOOPBACK(&sa6.sin6_addr))
        return NET_HOST_LOOPBACK;
    if ((a[0] & 0xFE) == 0xFC)
        return NET_HOST_PRIVATE;
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80)
        return NET_HOST_LINK_LOCAL;
    return net_addr_is_public((const struct sockaddr *)(const void *)&sa6) ? NET_HOST_PUBLIC
                                                                           : NET_HOST_RESERVED;
}
