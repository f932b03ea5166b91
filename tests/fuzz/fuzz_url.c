/*
 * fuzz_url.c: libFuzzer target for the URL module (src/net/url.h) and the configuration pages'
 * URL rules built on it (src/connectors/configs.c).
 *
 * The input is "pattern\nurl": the first line is taken as one validDomains entry, the rest as
 * the URL. Beyond "no crash, no leak", on success it checks the contract: the text has no
 * control character, backslash or space; the scheme is lower-case; the host is non-empty,
 * without upper-case ASCII or a character that ends or escapes an authority; an explicit port is
 * 1..65535; the path starts with '/'; the origin of an http(s) URL parses back to the same
 * origin; a host that matches a pattern "*.x" ends in ".x", one that matches "x" equals it; and
 * config_url_split accepts exactly the http(s) URLs without user info or IPv6 literal whose
 * host is letters, digits, '-' and '.'.
 */
#include "connectors/configs.h"
#include "net/url.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "contract broken: %s\n", what);
        abort();
    }
}

static void check_parsed(const char *text, const char *pattern, const struct net_url *u)
{
    char origin[NET_URL_HOST_MAX + 40], scheme[8], host[256];
    const char *path;
    bool plain = true;
    int port;

    for (const char *p = text; *p; p++)
        check((unsigned char)*p > ' ' && *p != 0x7f && *p != '\\', "characters of the text");
    for (const char *p = u->scheme; *p; p++)
        check(!isupper((unsigned char)*p), "scheme lower-case");
    check(u->host[0] != '\0', "host not empty");
    for (const char *h = u->host; *h; h++) {
        check(!isupper((unsigned char)*h) && !strchr("/?#@\\% ", *h), "host characters");
        plain = plain && (islower((unsigned char)*h) || isdigit((unsigned char)*h) || *h == '-' ||
                          *h == '.');
    }
    check(!u->port_given || (u->port >= 1 && u->port <= 65535), "port range");
    check(u->path && u->path[0] == '/', "path");
    if (net_url_is_web(u) && net_url_origin(u, origin, sizeof(origin)) == SB_OK) {
        struct net_url back;
        char again[sizeof(origin)];

        check(net_url_parse(origin, 0, &back) == SB_OK, "origin parses");
        check(net_url_same_origin(u, &back), "origin is the same origin");
        check(net_url_origin(&back, again, sizeof(again)) == SB_OK && strcmp(origin, again) == 0,
              "origin is stable");
        net_url_free(&back);
    }
    if (net_url_host_matches(u, pattern)) {
        const char *colon = strrchr(pattern, ':');
        size_t pl = colon && !strchr(pattern, ']') ? (size_t)(colon - pattern) : strlen(pattern);
        size_t hl = strlen(u->host);

        if (pl > 2 && strncmp(pattern, "*.", 2) == 0)
            check(hl > pl - 1 && strncasecmp(u->host + hl - (pl - 1), pattern + 1, pl - 1) == 0,
                  "wildcard match");
        else if (!strchr(pattern, ']'))
            check(hl == pl && strncasecmp(u->host, pattern, pl) == 0, "exact match");
    }
    check(config_url_split(text, scheme, sizeof(scheme), host, sizeof(host), &port, &path) ==
              (net_url_is_web(u) && !u->userinfo && !u->ipv6 && plain),
          "config_url_split accepts plain http(s) URLs");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1), *nl, *text;
    struct net_url u;

    if (!in)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    nl = strchr(in, '\n');
    text = nl ? nl + 1 : in;
    if (nl)
        *nl = '\0';
    if (net_url_parse(text, 0, &u) == SB_OK) {
        check_parsed(text, nl ? in : "example.org", &u);
        net_url_free(&u);
    }
    free(in);
    return 0;
}
