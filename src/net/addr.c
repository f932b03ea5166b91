/*
 * addr.c: which addresses outbound requests may reach (see addr.h).
 */
#include "net/addr.h"

#include <netinet/in.h>
#include <string.h>

struct v4_range {
    uint32_t net;
    int bits;
};

/* Special-purpose IPv4 ranges (IANA registry) that never belong to a public service. */
static const struct v4_range v4_blocked[] = {
    {0x00000000u, 8},  /* 0/8 "this network" */
    {0x0A000000u, 8},  /* 10/8 private */
    {0x64400000u, 10}, /* 100.64/10 carrier-grade NAT */
    {0x7F000000u, 8},  /* 127/8 loopback */
    {0xA9FE0000u, 16}, /* 169.254/16 link-local (cloud metadata services live here) */
    {0xAC100000u, 12}, /* 172.16/12 private */
    {0xC0000000u, 24}, /* 192.0.0/24 IETF protocol assignments */
    {0xC0000200u, 24}, /* 192.0.2/24 TEST-NET-1 */
    {0xC0586300u, 24}, /* 192.88.99/24 6to4 relay anycast (deprecated) */
    {0xC0A80000u, 16}, /* 192.168/16 private */
    {0xC6120000u, 15}, /* 198.18/15 benchmarking */
    {0xC6336400u, 24}, /* 198.51.100/24 TEST-NET-2 */
    {0xCB007100u, 24}, /* 203.0.113/24 TEST-NET-3 */
    {0xE0000000u, 4},  /* 224/4 multicast */
    {0xF0000000u, 4},  /* 240/4 reserved, and 255.255.255.255 broadcast */
};

bool net_addr_ipv4_is_public(uint32_t a)
{
    for (size_t i = 0; i < sizeof(v4_blocked) / sizeof(v4_blocked[0]); i++) {
        uint32_t mask = 0xFFFFFFFFu << (32 - v4_blocked[i].bits);
        if ((a & mask) == v4_blocked[i].net)
            return false;
    }
    return true;
}

static uint32_t v4_at(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static bool v6_is_public(const unsigned char a[16])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

    /* Forms that carry an IPv4 address: judged by that address. */
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
        return net_addr_ipv4_is_public(v4_at(a + 12));
    if (all_zero(a, 12)) /* ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d */
        return v4_at(a + 12) > 1 && net_addr_ipv4_is_public(v4_at(a + 12));
    if (a[0] == 0x20 && a[1] == 0x02) /* 6to4 2002:AABB:CCDD::/48 */
        return net_addr_ipv4_is_public(v4_at(a + 2));
    /* Only global unicast 2000::/3 is public; ULA fc00::/7, link-local fe80::/10, site-local
     * fec0::/10, multicast ff00::/8, discard 100::/64 and the rest fall outside it. */
    if ((a[0] & 0xE0) != 0x20)
        return false;
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) /* 2001:db8::/32 */
        return false;
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] < 0x02) /* 2001::/23 IETF (Teredo, ORCHID...) */
        return false;
    if (a[0] == 0x3f && a[1] == 0xff && (a[2] & 0xF0) == 0) /* 3fff::/20 documentation */
        return false;
    return true;
}

bool net_addr_is_public(const struct sockaddr *sa)
{
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return net_addr_ipv4_is_public(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return v6_is_public(in6->sin6_addr.s6_addr);
    }
    return false;
}
