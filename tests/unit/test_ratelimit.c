/*
 * test_ratelimit.c: unit tests for src/webhooks/ratelimit (per-webhook token buckets). Time is
 * always passed in by the test, so every expectation is exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "webhooks/ratelimit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_A "0f0f0f0f-1e1e-4d2d-9c3c-4b4b4b4b4b4b"
#define KEY_B "12345678-9abc-4def-8123-456789abcdef"
#define T0 1767225600000LL /* 2026-01-01T00:00:00Z: a realistic epoch in ms */

/* ---- helpers ---- */

static struct webhook_limiter *new_limiter(double rate)
{
    struct webhook_limiter *l = NULL;

    assert_int_equal(webhook_limiter_new(rate, &l), SB_OK);
    assert_non_null(l);
    return l;
}

static void key_for(unsigned n, char out[SB_ID_LEN + 1])
{
    snprintf(out, SB_ID_LEN + 1, "00000000-0000-4000-8000-%012x", n);
}

/* Takes once, expecting success. */
static void take_ok(struct webhook_limiter *l, const char *key, int64_t now)
{
    int retry = -7;

    assert_true(webhook_limiter_take(l, key, now, &retry));
}

/* Takes once, expecting a refusal; returns retry-after. */
static int take_refused(struct webhook_limiter *l, const char *key, int64_t now)
{
    int retry = -7;

    assert_false(webhook_limiter_take(l, key, now, &retry));
    assert_true(retry >= 1);
    return retry;
}

/* ---- tests ---- */

static void test_burst_then_refuse(void **state)
{
    struct webhook_limiter *l = new_limiter(4);

    (void)state;
    for (int i = 0; i < 4; i++)
        take_ok(l, KEY_A, T0);
    assert_int_equal(take_refused(l, KEY_A, T0), 1);
    /* refusals do not consume anything and keep answering the same */
    assert_int_equal(take_refused(l, KEY_A, T0), 1);
    assert_int_equal(take_refused(l, KEY_A, T0), 1);
    webhook_limiter_free(l);
}

static void test_refill_over_time(void **state)
{
    struct webhook_limiter *l = new_limiter(4);

    (void)state;
    for (int i = 0; i < 4; i++)
        take_ok(l, KEY_A, T0);
    take_refused(l, KEY_A, T0);
    /* 249 ms give 0.996 tokens: not yet */
    take_refused(l, KEY_A, T0 + 249);
    /* 250 ms give one token at 4/s */
    take_ok(l, KEY_A, T0 + 250);
    take_refused(l, KEY_A, T0 + 250);
    /* another 500 ms: two more */
    take_ok(l, KEY_A, T0 + 750);
    take_ok(l, KEY_A, T0 + 750);
    take_refused(l, KEY_A, T0 + 750);
    webhook_limiter_free(l);
}

static void test_burst_is_capped(void **state)
{
    struct webhook_limiter *l = new_limiter(4);

    (void)state;
    take_ok(l, KEY_A, T0);
    /* an hour idle refills to one second's worth, not more */
    for (int i = 0; i < 4; i++)
        take_ok(l, KEY_A, T0 + 3600 * 1000);
    take_refused(l, KEY_A, T0 + 3600 * 1000);
    webhook_limiter_free(l);
}

static void test_clock_going_back(void **state)
{
    struct webhook_limiter *l = new_limiter(4);

    (void)state;
    for (int i = 0; i < 4; i++)
        take_ok(l, KEY_A, T0 + 10000);
    /* an earlier time (another thread's older clock reading) neither refills nor breaks */
    take_refused(l, KEY_A, T0);
    take_refused(l, KEY_A, T0 + 9999);
    /* and it does not move the bucket's clock back: 250 ms after the latest gives one */
    take_ok(l, KEY_A, T0 + 10250);
    take_refused(l, KEY_A, T0 + 10250);
    webhook_limiter_free(l);
}

static void test_fractional_rate(void **state)
{
    struct webhook_limiter *l = new_limiter(0.5);

    (void)state;
    /* a burst of at least one post */
    take_ok(l, KEY_A, T0);
    assert_int_equal(take_refused(l, KEY_A, T0), 2);
    /* after one second half a token: one more second to wait */
    assert_int_equal(take_refused(l, KEY_A, T0 + 1000), 1);
    take_refused(l, KEY_A, T0 + 1999);
    take_ok(l, KEY_A, T0 + 2000);
    assert_int_equal(take_refused(l, KEY_A, T0 + 2000), 2);
    webhook_limiter_free(l);

    /* 0.1/s: ten seconds */
    l = new_limiter(0.1);
    take_ok(l, KEY_A, T0);
    assert_int_equal(take_refused(l, KEY_A, T0), 10);
    assert_int_equal(take_refused(l, KEY_A, T0 + 2500), 8);
    take_ok(l, KEY_A, T0 + 10000);
    webhook_limiter_free(l);

    /* 2.5/s: burst 2.5 lets 2 through, then 0.5 tokens left -> wait 0.2 s -> 1 */
    l = new_limiter(2.5);
    take_ok(l, KEY_A, T0);
    take_ok(l, KEY_A, T0);
    assert_int_equal(take_refused(l, KEY_A, T0), 1);
    take_ok(l, KEY_A, T0 + 200);
    webhook_limiter_free(l);
}

static void test_rate_zero_never_limits(void **state)
{
    struct webhook_limiter *l = new_limiter(0);
    int retry = -7;

    (void)state;
    for (int i = 0; i < 100000; i++)
        assert_true(webhook_limiter_take(l, KEY_A, T0, &retry));
    assert_int_equal(retry, -7); /* untouched */
    webhook_limiter_free(l);
}

static void test_keys_independent(void **state)
{
    struct webhook_limiter *l = new_limiter(4);

    (void)state;
    for (int i = 0; i < 4; i++)
        take_ok(l, KEY_A, T0);
    take_refused(l, KEY_A, T0);
    /* B has its own full bucket */
    for (int i = 0; i < 4; i++)
        take_ok(l, KEY_B, T0);
    take_refused(l, KEY_B, T0);
    /* refilling A does not touch B's state */
    take_ok(l, KEY_A, T0 + 250);
    take_refused(l, KEY_A, T0 + 250);
    take_ok(l, KEY_B, T0 + 250);
    take_refused(l, KEY_B, T0 + 250);
    webhook_limiter_free(l);
}

static void test_many_keys(void **state)
{
    enum { N = 10000 };
    struct webhook_limiter *l = new_limiter(2);
    char key[SB_ID_LEN + 1];

    (void)state;
    for (unsigned k = 0; k < N; k++) {
        key_for(k, key);
        take_ok(l, key, T0);
    }
    for (unsigned k = 0; k < N; k++) {
        key_for(k, key);
        take_ok(l, key, T0);
        take_refused(l, key, T0);
    }
    /* half a second later every key has exactly one token again */
    for (unsigned k = 0; k < N; k++) {
        key_for(k, key);
        take_ok(l, key, T0 + 500);
        take_refused(l, key, T0 + 500);
    }
    webhook_limiter_free(l);
}

static void test_free_null(void **state)
{
    (void)state;
    webhook_limiter_free(NULL);
}

/* ---- concurrency ---- */

struct race {
    struct webhook_limiter *l;
    atomic_llong clock; /* simulated ms since T0; each attempt advances it by one */
    long long until;    /* attempts stop at this simulated time */
    atomic_int ok;      /* successful takes, all threads */
    atomic_int attempts;
    atomic_int bad_retry; /* refusals with retry-after < 1 */
    pthread_barrier_t go;
};

static void *race_main(void *arg)
{
    struct race *r = arg;
    int retry;

    pthread_barrier_wait(&r->go);
    for (;;) {
        long long t = atomic_fetch_add(&r->clock, 1);
        if (t >= r->until)
            break;
        atomic_fetch_add(&r->attempts, 1);
        retry = 0;
        if (webhook_limiter_take(r->l, KEY_A, T0 + t, &retry))
            atomic_fetch_add(&r->ok, 1);
        else if (retry < 1)
            atomic_fetch_add(&r->bad_retry, 1);
    }
    return NULL;
}

static void run_race(struct race *r, int nthreads)
{
    pthread_t th[8];

    assert_true(nthreads <= 8);
    pthread_barrier_init(&r->go, NULL, (unsigned)nthreads);
    for (int i = 0; i < nthreads; i++)
        assert_int_equal(pthread_create(&th[i], NULL, race_main, r), 0);
    for (int i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&r->go);
}

static void test_concurrent_one_key(void **state)
{
    struct race r;
    long long allowance;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.l = new_limiter(4);
    atomic_init(&r.clock, 0);
    r.until = 200000; /* 200 simulated seconds, one attempt per simulated ms */
    run_race(&r, 4);

    /* The bucket starts full (4) at its first attempt and gains 4 per simulated second until
     * the last attempt: never more than that may pass. Every attempt that finds a token takes
     * it and the bucket is never full again after the first burst, so no token is wasted
     * either: at most the last fraction of one and the few ms before the first attempt. */
    allowance = 4 + 4 * (r.until - 1) / 1000;
    assert_int_equal(atomic_load(&r.attempts), r.until);
    assert_int_equal(atomic_load(&r.bad_retry), 0);
    assert_true(atomic_load(&r.ok) <= allowance);
    assert_true(atomic_load(&r.ok) >= allowance - 2);
    webhook_limiter_free(r.l);
}

struct frozen {
    struct webhook_limiter *l;
    atomic_int ok;
    pthread_barrier_t go;
};

static void *frozen_main(void *arg)
{
    struct frozen *f = arg;
    int retry;

    pthread_barrier_wait(&f->go);
    for (int i = 0; i < 20000; i++)
        if (webhook_limiter_take(f->l, KEY_B, T0, &retry))
            atomic_fetch_add(&f->ok, 1);
    return NULL;
}

static void test_concurrent_frozen_clock(void **state)
{
    struct frozen f;
    pthread_t th[4];

    (void)state;
    memset(&f, 0, sizeof(f));
    f.l = new_limiter(4);
    pthread_barrier_init(&f.go, NULL, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, frozen_main, &f), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&f.go);
    /* 80000 attempts at one instant: exactly the burst passes */
    assert_int_equal(atomic_load(&f.ok), 4);
    webhook_limiter_free(f.l);
}

struct spread {
    struct webhook_limiter *l;
    int id;
    int ok[64];
    pthread_barrier_t *go;
};

static void *spread_main(void *arg)
{
    struct spread *s = arg;
    char key[SB_ID_LEN + 1];
    int retry;

    pthread_barrier_wait(s->go);
    for (int round = 0; round < 50; round++) {
        for (unsigned k = 0; k < 64; k++) {
            key_for(k, key);
            if (webhook_limiter_take(s->l, key, T0, &retry))
                s->ok[k]++;
        }
    }
    return NULL;
}

static void test_concurrent_many_keys(void **state)
{
    struct spread sp[4];
    pthread_t th[4];
    pthread_barrier_t go;

    (void)state;
    pthread_barrier_init(&go, NULL, 4);
    memset(sp, 0, sizeof(sp));
    sp[0].l = new_limiter(3);
    for (int i = 0; i < 4; i++) {
        sp[i].l = sp[0].l;
        sp[i].id = i;
        sp[i].go = &go;
        assert_int_equal(pthread_create(&th[i], NULL, spread_main, &sp[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&go);
    /* every key let exactly its burst through, however the threads interleaved */
    for (unsigned k = 0; k < 64; k++)
        assert_int_equal(sp[0].ok[k] + sp[1].ok[k] + sp[2].ok[k] + sp[3].ok[k], 3);
    webhook_limiter_free(sp[0].l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_refuse),
        cmocka_unit_test(test_refill_over_time),
        cmocka_unit_test(test_burst_is_capped),
        cmocka_unit_test(test_clock_going_back),
        cmocka_unit_test(test_fractional_rate),
        cmocka_unit_test(test_rate_zero_never_limits),
        cmocka_unit_test(test_keys_independent),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_free_null),
        cmocka_unit_test(test_concurrent_one_key),
        cmocka_unit_test(test_concurrent_frozen_clock),
        cmocka_unit_test(test_concurrent_many_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
