/*
 * addr.h: classifying addresses for outbound requests (the SSRF guard).
 *
 * net_addr_is_public() is true only for addresses on the public Internet. It is false for
 * loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10),
 * CGNAT 100.64/10, "this network" 0/8, multicast, broadcast, unspecified, reserved (240/4),
 * benchmarking (198.18/15), IETF protocol assignments (192.0.0/24, 2001::/23), documentation
 * ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20), every IPv6 address
 * outside global unicast 2000::/3, and IPv6 forms that embed an IPv4 address (IPv4-mapped
 * ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16) whose IPv4 address
 * is not public. NAT64 local-use 64:ff9b:1::/48 is never public. Other families are not public.
 */
#ifndef SB_NET_ADDR_H
#define SB_NET_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

bool net_addr_is_public(const struct sockaddr *sa);

/* The same rules for an IPv4 address in host byte order. */
bool net_addr_ipv4_is_public(uint32_t a);

#endif
