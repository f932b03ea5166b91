/*
 * test_net_addr.c: net_addr_is_public on every class of address the SSRF guard must refuse
 * (classified without connecting anywhere) and on public ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net/addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static bool is_public(const char *text)
{
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;

    memset(&in4, 0, sizeof(in4));
    memset(&in6, 0, sizeof(in6));
    if (inet_pton(AF_INET, text, &in4.sin_addr) == 1) {
        in4.sin_family = AF_INET;
        return net_addr_is_public((const struct sockaddr *)&in4);
    }
    if (inet_pton(AF_INET6, text, &in6.sin6_addr) == 1) {
        in6.sin6_family = AF_INET6;
        return net_addr_is_public((const struct sockaddr *)&in6);
    }
    fail_msg("not an address: %s", text);
    return true;
}

static void check_all(const char *const *list, bool expected)
{
    for (const char *const *a = list; *a; a++) {
        if (is_public(*a) != expected)
            fail_msg("%s: expected %s", *a, expected ? "public" : "not public");
    }
}

static void test_ipv4_not_public(void **state)
{
    static const char *const list[] = {"127.0.0.1",       "127.0.0.2",       "127.255.255.254",
                                       "10.0.0.1",        "10.255.255.255",  "172.16.0.1",
                                       "172.31.255.254",  "192.168.0.1",     "192.168.255.255",
                                       "169.254.169.254", "169.254.0.1",     "100.64.0.1",
                                       "100.127.255.254", "0.0.0.0",         "0.1.2.3",
                                       "224.0.0.1",       "239.255.255.250", "255.255.255.255",
                                       "240.0.0.1",       "192.0.2.1",       "198.51.100.7",
                                       "203.0.113.9",     "198.18.0.1",      "198.19.255.255",
                                       "192.0.0.8",       "192.88.99.1",     NULL};
    (void)state;
    check_all(list, false);
}

static void test_ipv4_public(void **state)
{
    static const char *const list[] = {"8.8.8.8",     "1.1.1.1",        "172.15.255.255",
                                       "172.32.0.1",  "100.63.255.255", "100.128.0.1",
                                       "169.253.1.1", "192.169.0.1",    "11.0.0.1",
                                       "198.20.0.1",  "223.255.255.1",  NULL};
    (void)state;
    check_all(list, true);
}

static void test_ipv6_not_public(void **state)
{
    static const char *const list[] = {
        "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1",
        "ff0e::1", "2001:db8::1", "3fff::1", "100::1", "64:ff9b:1::1",
        /* IPv4-mapped, -compatible, NAT64 and 6to4 forms of refused IPv4 addresses */
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.1.1",
        "::127.0.0.1", "::10.1.2.3", "::169.254.169.254", "64:ff9b::127.0.0.1",
        "64:ff9b::a9fe:a9fe", "64:ff9b::10.0.0.1", "2002:7f00:1::1", "2002:a9fe:a9fe::1",
        "2002:c0a8:101::1",
        /* Teredo and other IETF assignments */
        "2001::1", "2001:0:4136:e378::1", NULL};
    (void)state;
    check_all(list, false);
}

static void test_ipv6_public(void **state)
{
    static const char *const list[] = {"2606:4700:4700::1111",
                                       "2a00:1450:4001:81b::200e",
                                       "::ffff:8.8.8.8",
                                       "64:ff9b::8.8.8.8",
                                       "2002:808:808::1",
                                       "2400:cb00::1",
                                       NULL};
    (void)state;
    check_all(list, true);
}

static void test_other_families(void **state)
{
    struct sockaddr sa;

    (void)state;
    memset(&sa, 0, sizeof(sa));
    sa.sa_family = AF_UNIX;
    assert_false(net_addr_is_public(&sa));
    assert_false(net_addr_is_public(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_not_public), cmocka_unit_test(test_ipv4_public),
        cmocka_unit_test(test_ipv6_not_public), cmocka_unit_test(test_ipv6_public),
        cmocka_unit_test(test_other_families),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
