/*
 * test_auth_throttle.c: sign-in throttling on a real SQLite store with a hand-moved clock: the
 * keys (case-folded accounts, IPv6 by /64), the limits, Retry-After, the window running out
 * (which the e2e tests cannot wait for), and a success resetting only the account.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth/throttle.h"
#include "ctx_fixture.h"

static void test_keys(void **state)
{
    struct auth_throttle_keys k;

    (void)state;
    auth_throttle_keys("Alice@Example.TEST", "192.0.2.7", &k);
    assert_string_equal(k.account, "u:alice@example.test");
    assert_string_equal(k.address, "a:192.0.2.7");
    auth_throttle_keys("bob", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", &k);
    assert_string_equal(k.address, "a:2001:db8:1:2::/64");
    auth_throttle_keys("bob", "::ffff:192.0.2.7", &k);
    assert_string_equal(k.address, "a:::ffff:192.0.2.7");
    auth_throttle_keys("bob", NULL, &k);
    assert_string_equal(k.address, "");
}

static void fail_n(struct cfx *f, const struct auth_throttle_keys *k, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(auth_throttle_failed(&f->ctx, k), SB_OK);
}

static void test_account_limit_window_and_reset(void **state)
{
    struct cfx *f = *state;
    struct auth_throttle_keys k, other;
    int retry = -1;

    auth_throttle_keys("carol@example.test", "192.0.2.8", &k);
    auth_throttle_keys("dave@example.test", "192.0.2.8", &other);
    fail_n(f, &k, AUTH_THROTTLE_ACCOUNT - 1);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_OK);
    assert_int_equal(retry, 0);
    fail_n(f, &k, 1);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_ERR_THROTTLED);
    assert_int_equal(retry, AUTH_THROTTLE_WINDOW_MS / 1000);
    assert_int_equal(auth_throttle_check(&f->ctx, &other, &retry), SB_OK);
    /* Retry-After counts down to the end of the window that opened with the first failure. */
    atomic_fetch_add(&f->now_ms, AUTH_THROTTLE_WINDOW_MS - 1500);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_ERR_THROTTLED);
    assert_int_equal(retry, 2);
    atomic_fetch_add(&f->now_ms, 1500);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_OK);
    /* A failure after the window starts a new one at 1. */
    fail_n(f, &k, 1);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_OK);
    fail_n(f, &k, AUTH_THROTTLE_ACCOUNT - 1);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_ERR_THROTTLED);
    /* A success forgets the account's failures. */
    assert_int_equal(auth_throttle_succeeded(&f->ctx, &k), SB_OK);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_OK);
}

static void test_address_limit_survives_success(void **state)
{
    struct cfx *f = *state;
    struct auth_throttle_keys k;
    char upn[64];
    int retry = 0;

    for (int i = 0; i < AUTH_THROTTLE_ADDRESS; i++) {
        snprintf(upn, sizeof(upn), "guess%d@example.test", i);
        auth_throttle_keys(upn, "2001:db8::1", &k);
        assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_OK);
        fail_n(f, &k, 1);
        atomic_fetch_add(&f->now_ms, 1000);
    }
    /* Another host of the same /64, another account: throttled by the address. */
    auth_throttle_keys("erin@example.test", "2001:db8::2", &k);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_ERR_THROTTLED);
    assert_int_equal(retry, AUTH_THROTTLE_WINDOW_MS / 1000 - AUTH_THROTTLE_ADDRESS);
    assert_int_equal(auth_throttle_succeeded(&f->ctx, &k), SB_OK);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_ERR_THROTTLED);
    auth_throttle_keys("erin@example.test", "2001:db8:0:1::2", &k);
    assert_int_equal(auth_throttle_check(&f->ctx, &k, &retry), SB_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        T(test_account_limit_window_and_reset),
        T(test_address_limit_survives_success),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
