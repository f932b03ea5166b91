/*
 * url.h: the one URL parser (libcurl's CURLU) and the policy questions asked of its result.
 *
 * net_url_parse() parses an absolute URL once into scheme, host, port, path and query. It is
 * stricter than CURLU, so that what it accepts is what a browser and libcurl both read the same
 * way: the text must be "scheme://authority..." with a non-empty host (curl alone reads
 * "https:/x" and "https:///x" as host x); control characters, backslashes and (unless
 * NET_URL_ALLOW_SPACE) spaces are refused anywhere. The host is normalised as curl connects to
 * it: lower-case, percent-escapes decoded, IPv4 in dotted quad form ("127.2" is 127.0.0.2,
 * "0x7f.1" is 127.0.0.1), IPv6 without brackets and zone; an internationalised name is kept
 * as written in UTF-8 (ASCII letters lower-cased) with idn set: it matches no ASCII pattern and
 * no allow-list entry, and libcurl's punycode conversion is not used (see url.c). A fragment is
 * dropped. Any scheme parses; the callers ask net_url_is_web() or net_url_is_https().
 *
 * The policy questions take a parsed URL and never resolve or connect: the host's kind for IP
 * literals (loopback, private, link-local, other non-public, public; by net/addr.h), whether a
 * host matches a validDomains entry, the origin.
 */
#ifndef SB_NET_URL_H
#define SB_NET_URL_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>

#define NET_URL_HOST_MAX 255

/* Spaces are left for the receiver to encode (card links: senders paste job names in them). */
#define NET_URL_ALLOW_SPACE 1u

enum net_host_kind {
    NET_HOST_NAME,       /* a DNS name: what it resolves to is known only when resolving */
    NET_HOST_PUBLIC,     /* an IP literal on the public Internet */
    NET_HOST_LOOPBACK,   /* 127/8, ::1 (also IPv4-mapped) */
    NET_HOST_PRIVATE,    /* 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 */
    NET_HOST_LINK_LOCAL, /* 169.254/16, fe80::/10 */
    NET_HOST_RESERVED,   /* every other address that is not public (net_addr_is_public) */
};

struct net_url {
    char scheme[16];                 /* lower-case */
    char host[NET_URL_HOST_MAX + 1]; /* normalised as described above */
    int port;                        /* as given, else the scheme's default (0 when none) */
    bool port_given;                 /* written in the URL (even when it is the default) */
    bool userinfo;                   /* "user[:password]@" present */
    bool ipv6;                       /* the host is an IPv6 literal */
    bool idn;                        /* the host is a name with non-ASCII (UTF-8) letters */
    enum net_host_kind kind;
    char *path;  /* heap: "/" at least, percent-escapes kept */
    char *query; /* heap: without '?'; NULL when absent */
};

/* Parses text (flags: NET_URL_*) into *out, to be released with net_url_free. SB_ERR_INVALID
 * when it is not such a URL, SB_ERR_NOMEM. */
sb_err net_url_parse(const char *text, unsigned flags, struct net_url *out);
void net_url_free(struct net_url *u);

/* Scheme http or https. */
bool net_url_is_web(const struct net_url *u);
bool net_url_is_https(const struct net_url *u);

/* Whether text is an http(s) link a client may be handed (cards, service cards): SB_OK when it
 * parses with NET_URL_ALLOW_SPACE and its scheme is http or https, else SB_ERR_INVALID (or
 * SB_ERR_NOMEM: then nothing is known). */
sb_err net_url_link(const char *text);

/* Loopback literals and "localhost" (and its subdomains, RFC 6761). */
bool net_url_is_loopback(const struct net_url *u);

/* Whether host:port matches a validDomains pattern as Teams' manifest says: "host" that host
 * exactly, "*.host" any subdomain of host (not host itself), either optionally followed by
 * ":port" (digits only) which then must be the port; names compare case-insensitively. */
bool net_url_domain_match(const char *pattern, const char *host, int port);
bool net_url_host_matches(const struct net_url *u, const char *pattern);
/* Whether pattern is a host name as a manifest's validDomains may list it: labels of letters,
 * digits and '-' (not at a label's ends, 1 to 63 bytes, 253 in all), optionally after "*.". */
bool net_url_domain_pattern_ok(const char *pattern);

/* The origin "scheme://host[:port]" of an http(s) URL: lower-case, IPv6 in brackets, the
 * default port omitted. SB_ERR_INVALID for other schemes or when cap is too small. */
sb_err net_url_origin(const struct net_url *u, char *out, size_t cap);
bool net_url_same_origin(const struct net_url *a, const struct net_url *b);

/* The URL with u's scheme, host and port and the given path (already percent-encoded, starting
 * with "/") and query (encoded, without "?"; NULL or "" for none), built from parts by CURLU so
 * that nothing in path or query can change the origin. *out is heap. */
sb_err net_url_with_path(const struct net_url *u, const char *path, const char *query, char **out);

/* Whether host:port is in an allow list (JSON array text such as outboundAllowedHosts): an
 * entry "host:port" allows that port, "host" every port; IPv6 entries in brackets; names
 * compare case-insensitively. NULL or unparsable text allows nothing. */
bool net_url_host_listed(const char *list_json, const char *host, int port);

/* Whether entry may stand in such an allow list: "host" or "host:port" (port 1 to 65535, IPv6
 * in brackets) that net_url_parse reads back unchanged (case aside), so that
 * net_url_host_listed can match it: "127.1" (read as 127.0.0.1), "h:080", "h:" or "a%2eb" are
 * refused, as are paths, user names and non-ASCII names. */
bool net_url_host_entry_ok(const char *entry);

/* The kind of a host as net_url_parse normalises it (NET_HOST_NAME unless an IP literal). */
enum net_host_kind net_host_kind_of(const char *host);

#endif
